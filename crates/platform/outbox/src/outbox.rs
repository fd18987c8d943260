use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use platform_database::DatabaseRow;
use platform_database::WriteTransaction;
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, DerivePartialModel};
use sea_orm::{EntityTrait, QueryFilter, QuerySelect, Statement};
use shared_kernel_application::{EventCodecs, EventId, InfrastructureError};
use shared_kernel_domain::EventRef;
use shared_kernel_infrastructure::RequestId;
use tokio::sync::Notify;
use uuid::Uuid;

use crate::delivery::{EventDelivery, PendingEvent, Settlement, SettlementOffer};
use crate::entities::outbox_event::{ActiveModel, Column, Entity};
use crate::entities::{millis, status};
use crate::relay_task::log_delivery;
use crate::store::settlement_update;

/// What a Unit of Work does with the events its aggregates recorded: write them to the
/// outbox inside its transaction, then deliver them right after the commit.
///
/// The write makes the events as durable as the change that raised them. The delivery after
/// the commit keeps the usual path fast (a new user sees their starter project at once); the
/// relay delivers whatever it misses.
#[derive(Clone)]
pub struct Outbox {
    codecs: Arc<EventCodecs>,
    delivery: Arc<EventDelivery>,
    /// How long the claim of the delivery after the commit keeps the relay away.
    lease: Duration,
    /// Wakes the relay when events are left to it.
    relay: Arc<Notify>,
}

/// An aggregate that has events in the outbox.
#[derive(DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "Entity")]
struct AggregateIdRow {
    aggregate_id: Uuid,
}

/// The events of a transaction, once written, waiting for its commit.
pub(crate) struct Staged {
    deliver_now: Vec<PendingEvent>,
    left_to_relay: bool,
}

impl Outbox {
    pub fn new(
        codecs: Arc<EventCodecs>,
        delivery: Arc<EventDelivery>,
        lease: Duration,
        relay: Arc<Notify>,
    ) -> Self {
        Self {
            codecs,
            delivery,
            lease,
            relay,
        }
    }

    /// The insert that writes `events` to the outbox in `transaction`, for its commit to run
    /// (`TransactionScope::commit`), and what to deliver once it has committed.
    ///
    /// An event no handler reacts to is written as delivered. The others are written claimed
    /// for the delivery after the commit, unless an earlier event of the same aggregate is
    /// still undelivered: then they wait for the relay, which keeps each aggregate's events in
    /// order.
    pub(crate) async fn stage(
        &self,
        transaction: &WriteTransaction,
        events: Vec<EventRef>,
    ) -> Result<(Staged, Statement), InfrastructureError> {
        let publisher = &self.delivery.publisher;
        let now = self.delivery.clock.now();
        let encoded = events
            .iter()
            .map(|event| self.codecs.encode(event.as_ref()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(InfrastructureError::during("writing events to the outbox"))?;
        let handled: Vec<bool> = events
            .iter()
            .map(|event| publisher.has_handlers(event.as_ref()))
            .collect();

        let handled_aggregates: Vec<Uuid> = encoded
            .iter()
            .zip(&handled)
            .filter(|(_, handled)| **handled)
            .map(|(encoded, _)| encoded.aggregate_id)
            .collect();
        // The aggregates that still have an undelivered event: their new events must wait
        // behind it, for the relay.
        let waiting: HashSet<Uuid> = if handled_aggregates.is_empty() {
            HashSet::new()
        } else {
            let query = Entity::find()
                .distinct()
                .filter(Column::AggregateId.is_in(handled_aggregates))
                .filter(status::undelivered(Column::Status));
            transaction
                .all::<_, AggregateIdRow>(query)
                .await
                .map_err(InfrastructureError::during(
                    "looking for undelivered events",
                ))?
                .into_iter()
                .map(|row| row.aggregate_id)
                .collect()
        };

        let claim = Uuid::now_v7();
        let lease = TimeDelta::from_std(self.lease).unwrap_or(TimeDelta::MAX);
        let request_id = RequestId::current();
        let mut staged = Staged {
            deliver_now: Vec::new(),
            left_to_relay: false,
        };
        let mut rows = Vec::with_capacity(events.len());
        for ((event, encoded), handled) in events.into_iter().zip(encoded).zip(handled) {
            let id = EventId::new();
            let behind_earlier_event = waiting.contains(&encoded.aggregate_id);
            let deliver_now = handled && !behind_earlier_event;
            staged.left_to_relay |= handled && behind_earlier_event;
            rows.push(ActiveModel {
                sequence: NotSet,
                event_id: Set(id.as_uuid()),
                event_type: Set(encoded.event_type.to_string()),
                event_version: Set(i32::try_from(encoded.version).unwrap_or(i32::MAX)),
                aggregate_id: Set(encoded.aggregate_id),
                occurred_at: Set(encoded.occurred_at),
                payload: Set(encoded.payload),
                recorded_at: Set(now),
                status: Set(if handled {
                    status::PENDING
                } else {
                    status::DELIVERED
                }
                .to_string()),
                attempts: Set(0),
                available_at: Set(millis(if deliver_now { now + lease } else { now })),
                claimed_by: Set(deliver_now.then_some(claim)),
                last_error: Set(None),
                delivered_at: Set((!handled).then_some(now)),
                request_id: Set(request_id.as_ref().map(ToString::to_string)),
            });
            if deliver_now {
                staged.deliver_now.push(PendingEvent {
                    id,
                    aggregate_id: encoded.aggregate_id,
                    event_type: encoded.event_type.to_string(),
                    attempts: 0,
                    claim,
                    event: Ok(event),
                    request_id: request_id.clone(),
                });
            }
        }
        Ok((staged, transaction.statement(&Entity::insert_many(rows))))
    }

    /// The update that marks delivered, in `transaction`, the event whose delivery is running
    /// on this task, when the delivery offered its settlement (the event's one handler is
    /// committing), for the commit to run. The caller reports the offer `settled` once the
    /// transaction has committed.
    pub(crate) fn settle_offered(
        &self,
        transaction: &WriteTransaction,
    ) -> Option<(SettlementOffer, Statement)> {
        let offer = SettlementOffer::take()?;
        let update = settlement_update(
            offer.event,
            offer.claim,
            &Settlement::Delivered,
            self.delivery.clock.now(),
        );
        Some((offer, transaction.statement(&update)))
    }

    /// Delivers the staged events once their transaction has committed. A failing handler
    /// is logged and retried by the relay; it never fails the use case that raised the event.
    pub(crate) async fn deliver(&self, staged: Staged) {
        if !staged.deliver_now.is_empty() {
            let report = self.delivery.deliver(staged.deliver_now).await;
            log_delivery(&report);
            if !report.retrying.is_empty() {
                self.relay.notify_one();
            }
        }
        if staged.left_to_relay {
            self.relay.notify_one();
        }
    }
}
