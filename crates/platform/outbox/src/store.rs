use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use platform_database::WriteConnection;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, UpdateMany};
use shared_kernel_application::{EventCodecs, EventId, InfrastructureError, error_chain};
use shared_kernel_infrastructure::RequestId;
use uuid::Uuid;

use crate::delivery::{OutboxStore, PendingEvent, Settlement};
use crate::entities::outbox_event::{Column, Entity, Model};
use crate::entities::{millis, status};

/// The outbox table behind the relay, and the operator's view of it (`api outbox`).
#[derive(Clone)]
pub struct SeaOrmOutboxStore {
    transactions: WriteConnection,
    codecs: Arc<EventCodecs>,
}

impl SeaOrmOutboxStore {
    pub fn new(transactions: WriteConnection, codecs: Arc<EventCodecs>) -> Self {
        Self {
            transactions,
            codecs,
        }
    }

    fn pending_event(&self, row: Model, claim: Uuid) -> PendingEvent {
        let event = u32::try_from(row.event_version)
            .map_err(|_| format!("{} has a negative version", row.event_type))
            .and_then(|version| {
                self.codecs
                    .decode(&row.event_type, version, &row.payload, row.occurred_at)
                    .map_err(|error| error_chain(&error))
            });
        PendingEvent {
            id: EventId::from_uuid(row.event_id),
            aggregate_id: row.aggregate_id,
            event_type: row.event_type,
            attempts: u32::try_from(row.attempts).unwrap_or(0),
            claim,
            event,
            // An id that is no longer valid (written by hand, say) is dropped, not echoed.
            request_id: row.request_id.as_deref().and_then(RequestId::parse),
        }
    }
}

#[async_trait]
impl OutboxStore for SeaOrmOutboxStore {
    /// One short transaction: select the due rows and stamp them with a claim. On PostgreSQL
    /// the select locks the rows it takes and skips the ones another relay is claiming
    /// (`FOR UPDATE SKIP LOCKED`), so that two processes never claim the same event; on
    /// SQLite `BEGIN IMMEDIATE` makes the whole claim exclusive.
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<PendingEvent>, InfrastructureError> {
        let during = InfrastructureError::during;
        let transaction = self
            .transactions
            .begin()
            .await
            .map_err(during("beginning to claim outbox events"))?;

        let earlier = Alias::new("earlier");
        let earlier_undelivered = Query::select()
            .expr(Expr::val(1))
            .from_as(Entity, earlier.clone())
            .and_where(
                Expr::col((earlier.clone(), Column::AggregateId))
                    .equals((Entity, Column::AggregateId)),
            )
            .and_where(
                Expr::col((earlier.clone(), Column::Sequence))
                    .lt(Expr::col((Entity, Column::Sequence))),
            )
            .and_where(status::undelivered((earlier, Column::Status)))
            .to_owned();
        let due = Entity::find()
            .filter(Column::Status.eq(status::PENDING))
            .filter(Column::AvailableAt.lte(millis(now)))
            .filter(Expr::exists(earlier_undelivered).not())
            .order_by_asc(Column::Sequence)
            .limit(u64::try_from(limit).unwrap_or(u64::MAX))
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        let rows: Vec<Model> = transaction
            .all(due)
            .await
            .map_err(during("selecting due outbox events"))?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }

        let claim = Uuid::now_v7();
        let lease = TimeDelta::from_std(lease).unwrap_or(TimeDelta::MAX);
        let claimed = Entity::update_many()
            .col_expr(Column::AvailableAt, Expr::val(millis(now + lease)))
            .col_expr(Column::ClaimedBy, Expr::val(claim))
            .filter(Column::Sequence.is_in(rows.iter().map(|row| row.sequence)));
        transaction
            .execute(&claimed)
            .await
            .map_err(during("claiming outbox events"))?;
        transaction
            .commit()
            .await
            .map_err(during("committing a claim on outbox events"))?;

        Ok(rows
            .into_iter()
            .map(|row| self.pending_event(row, claim))
            .collect())
    }

    async fn settle(
        &self,
        event: &PendingEvent,
        settlement: &Settlement,
        now: DateTime<Utc>,
    ) -> Result<(), InfrastructureError> {
        let update = settlement_update(event.id, event.claim, settlement, now);
        self.transactions
            .execute_alone(&update)
            .await
            .map_err(InfrastructureError::during("settling an outbox event"))?;
        Ok(())
    }
}

/// Gives `events` (this transaction's new events of `aggregate`, claimed by `claim` for the
/// delivery after the commit) to the relay, due at once, if an earlier event of the
/// aggregate is still undelivered: the relay keeps each aggregate's events in order.
///
/// It runs in the transaction that inserted them, with its commit, so that it costs no
/// round trip of its own; how many rows it changed says whether they were held back.
pub(crate) fn hold_back_behind_earlier(
    aggregate: Uuid,
    events: &[EventId],
    claim: Uuid,
    now: DateTime<Utc>,
) -> UpdateMany<Entity> {
    let events = || events.iter().map(|event| event.as_uuid());
    let earlier = Alias::new("earlier");
    let earlier_undelivered = Query::select()
        .expr(Expr::val(1))
        .from_as(Entity, earlier.clone())
        .and_where(Expr::col((earlier.clone(), Column::AggregateId)).eq(aggregate))
        .and_where(Expr::col((earlier.clone(), Column::EventId)).is_not_in(events()))
        .and_where(status::undelivered((earlier, Column::Status)))
        .to_owned();
    Entity::update_many()
        .col_expr(Column::ClaimedBy, Expr::val(Option::<Uuid>::None))
        .col_expr(Column::AvailableAt, Expr::val(millis(now)))
        .filter(Column::EventId.is_in(events()))
        .filter(Column::ClaimedBy.eq(claim))
        .filter(Expr::exists(earlier_undelivered))
}

/// Records how a claimed event's delivery ended, if `claim` still holds it: a claim whose
/// lease ran out, and was taken by another relay, settles nothing.
pub(crate) fn settlement_update(
    event: EventId,
    claim: Uuid,
    settlement: &Settlement,
    now: DateTime<Utc>,
) -> UpdateMany<Entity> {
    let update = Entity::update_many()
        .col_expr(Column::ClaimedBy, Expr::val(Option::<Uuid>::None))
        .filter(Column::EventId.eq(event.as_uuid()))
        .filter(Column::ClaimedBy.eq(claim))
        .filter(Column::Status.eq(status::PENDING));
    let attempts = |n: &u32| Expr::val(i32::try_from(*n).unwrap_or(i32::MAX));
    match settlement {
        Settlement::Delivered => update
            .col_expr(Column::Status, Expr::val(status::DELIVERED))
            .col_expr(Column::DeliveredAt, Expr::val(now)),
        Settlement::Retry {
            attempts: n,
            retry_at,
            error,
        } => update
            .col_expr(Column::Attempts, attempts(n))
            .col_expr(Column::AvailableAt, Expr::val(millis(*retry_at)))
            .col_expr(Column::LastError, Expr::val(error.as_str())),
        Settlement::Dead { attempts: n, error } => update
            .col_expr(Column::Status, Expr::val(status::DEAD))
            .col_expr(Column::Attempts, attempts(n))
            .col_expr(Column::LastError, Expr::val(error.as_str())),
        Settlement::HeldBack => update.col_expr(Column::AvailableAt, Expr::val(millis(now))),
    }
}
