use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use platform_database::WriteTransaction;
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, EntityTrait, Statement};
use shared_kernel_application::{EventCodecs, EventId, InfrastructureError};
use shared_kernel_domain::EventRef;
use shared_kernel_infrastructure::RequestId;
use tokio::sync::Notify;
use uuid::Uuid;

use crate::delivery::{EventDelivery, PendingEvent, Settlement, SettlementOffer};
use crate::entities::outbox_event::{ActiveModel, Entity};
use crate::entities::{millis, status};
use crate::relay_task::log_delivery;
use crate::store::{hold_back_behind_earlier, settlement_update};

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

/// The events of a transaction, once written, waiting for its commit.
pub(crate) struct Staged {
    deliver_now: Vec<PendingEvent>,
    left_to_relay: bool,
    /// The aggregates whose `hold_back_behind_earlier` statements follow the insert, in
    /// order.
    checked: Vec<Uuid>,
}

impl Staged {
    /// Takes out of the delivery after the commit the events that were held back, given how
    /// many rows each of the staged statements changed (the insert's first).
    pub(crate) fn committed(&mut self, changed: &[u64]) {
        let held_back: Vec<Uuid> = self
            .checked
            .iter()
            .zip(changed.iter().skip(1))
            .filter(|(_, rows)| **rows > 0)
            .map(|(aggregate, _)| *aggregate)
            .collect();
        if !held_back.is_empty() {
            self.deliver_now
                .retain(|event| !held_back.contains(&event.aggregate_id));
            self.left_to_relay = true;
        }
    }
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

    /// The statements that write `events` to the outbox in `transaction`, for its commit to
    /// run (`TransactionScope::commit`), and what to deliver once it has committed.
    ///
    /// An event no handler reacts to is written as delivered. The others are written claimed
    /// for the delivery after the commit; then, for each aggregate, a statement gives them
    /// back to the relay if an earlier event of the aggregate is still undelivered (the
    /// relay keeps each aggregate's events in order). Asked with the commit rather than
    /// before the insert, that costs PostgreSQL no round trip of its own.
    pub(crate) fn stage(
        &self,
        transaction: &WriteTransaction,
        events: Vec<EventRef>,
    ) -> Result<(Staged, Vec<Statement>), InfrastructureError> {
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

        let claim = Uuid::now_v7();
        let lease = TimeDelta::from_std(self.lease).unwrap_or(TimeDelta::MAX);
        let request_id = RequestId::current();
        let mut staged = Staged {
            deliver_now: Vec::new(),
            left_to_relay: false,
            checked: Vec::new(),
        };
        let mut rows = Vec::with_capacity(events.len());
        for ((event, encoded), handled) in events.into_iter().zip(encoded).zip(handled) {
            let id = EventId::new();
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
                available_at: Set(millis(if handled { now + lease } else { now })),
                claimed_by: Set(handled.then_some(claim)),
                last_error: Set(None),
                delivered_at: Set((!handled).then_some(now)),
                request_id: Set(request_id.as_ref().map(ToString::to_string)),
            });
            if handled {
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
        let mut statements = vec![transaction.statement(&Entity::insert_many(rows))];
        // One per aggregate: its new events may have to wait behind an earlier one.
        let mut aggregates: Vec<Uuid> = staged.deliver_now.iter().map(|e| e.aggregate_id).collect();
        aggregates.sort_unstable();
        aggregates.dedup();
        for aggregate in &aggregates {
            let events: Vec<EventId> = staged
                .deliver_now
                .iter()
                .filter(|event| event.aggregate_id == *aggregate)
                .map(|event| event.id)
                .collect();
            let hold_back = hold_back_behind_earlier(*aggregate, &events, claim, now);
            statements.push(transaction.statement(&hold_back));
        }
        staged.checked = aggregates;
        Ok((staged, statements))
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
