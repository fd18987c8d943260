use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entities::outbox_event::{Column, Entity, Model};
use crate::entities::{millis, status};

/// What an operator does with the outbox (`api outbox list|retry`): look at the events that
/// are waiting or dead, and put dead ones back in the queue once the cause is fixed.
pub struct OutboxAdmin {
    database: DatabaseConnection,
}

/// Which events to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxFilter {
    Dead,
    Pending,
    All,
}

/// One stored event and where its delivery stands.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub sequence: i64,
    pub event_id: Uuid,
    pub event_type: String,
    pub event_version: i32,
    pub aggregate_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

impl OutboxEntry {
    /// The event in its documented JSON shape (docs/events.md), as a broker would carry it.
    pub fn envelope(&self) -> Value {
        json!({
            "id": self.event_id,
            "type": self.event_type,
            "version": self.event_version,
            "aggregateId": self.aggregate_id,
            "occurredAt": self.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "payload": serde_json::from_str::<Value>(&self.payload)
                .unwrap_or_else(|_| Value::String(self.payload.clone())),
        })
    }
}

impl From<Model> for OutboxEntry {
    fn from(row: Model) -> Self {
        Self {
            sequence: row.sequence,
            event_id: row.event_id,
            event_type: row.event_type,
            event_version: row.event_version,
            aggregate_id: row.aggregate_id,
            occurred_at: row.occurred_at,
            payload: row.payload,
            status: row.status,
            attempts: row.attempts,
            last_error: row.last_error,
        }
    }
}

/// How far behind the outbox is: for the metrics (`outbox_events{status}`,
/// `outbox_oldest_pending_event_age_seconds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxBacklog {
    pub pending: u64,
    pub dead: u64,
    /// When the oldest pending event was recorded.
    pub oldest_pending: Option<DateTime<Utc>>,
}

impl OutboxAdmin {
    pub fn new(database: DatabaseConnection) -> Self {
        Self { database }
    }

    /// The events not delivered yet, by status, and the oldest pending one's age. Both
    /// queries read only the undelivered rows' index (`event_outbox_undelivered_idx`),
    /// however many delivered rows the table holds.
    pub async fn backlog(&self) -> Result<OutboxBacklog, DbErr> {
        let counts: Vec<(String, i64)> = Entity::find()
            .select_only()
            .column(Column::Status)
            .column_as(Column::Sequence.count(), "events")
            .filter(status::undelivered(Column::Status))
            .group_by(Column::Status)
            .into_tuple()
            .all(&self.database)
            .await?;
        let oldest_pending: Option<DateTime<Utc>> = Entity::find()
            .select_only()
            .column(Column::RecordedAt)
            .filter(status::undelivered(Column::Status))
            .filter(Column::Status.eq(status::PENDING))
            .order_by_asc(Column::Sequence)
            .limit(1)
            .into_tuple()
            .one(&self.database)
            .await?;
        let count_of = |wanted: &str| {
            counts
                .iter()
                .find(|(status, _)| status == wanted)
                .map_or(0, |(_, events)| u64::try_from(*events).unwrap_or(0))
        };
        Ok(OutboxBacklog {
            pending: count_of(status::PENDING),
            dead: count_of(status::DEAD),
            oldest_pending,
        })
    }

    /// The oldest `limit` events that match `filter`, in recording order.
    pub async fn list(&self, filter: OutboxFilter, limit: u64) -> Result<Vec<OutboxEntry>, DbErr> {
        let query = Entity::find().order_by_asc(Column::Sequence).limit(limit);
        let query = match filter {
            OutboxFilter::Dead => query.filter(Column::Status.eq(status::DEAD)),
            OutboxFilter::Pending => query.filter(Column::Status.eq(status::PENDING)),
            OutboxFilter::All => query,
        };
        Ok(query
            .all(&self.database)
            .await?
            .into_iter()
            .map(OutboxEntry::from)
            .collect())
    }

    /// Puts dead events back in the queue with a fresh budget of attempts, due at once:
    /// the ones in `ids`, or every dead event when `ids` is `None`. Returns how many.
    pub async fn requeue(&self, ids: Option<&[Uuid]>, now: DateTime<Utc>) -> Result<u64, DbErr> {
        let update = Entity::update_many()
            .col_expr(Column::Status, Expr::val(status::PENDING))
            .col_expr(Column::Attempts, Expr::val(0))
            .col_expr(Column::AvailableAt, Expr::val(millis(now)))
            .col_expr(Column::ClaimedBy, Expr::val(Option::<Uuid>::None))
            .filter(Column::Status.eq(status::DEAD));
        let update = match ids {
            Some(ids) => update.filter(Column::EventId.is_in(ids.iter().copied())),
            None => update,
        };
        Ok(update.exec(&self.database).await?.rows_affected)
    }
}
