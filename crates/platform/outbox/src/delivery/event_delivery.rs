use std::collections::HashSet;
use std::sync::Arc;

use chrono::TimeDelta;
use shared_kernel_domain::Clock;
use shared_kernel_infrastructure::RequestId;
use tracing::Instrument;

use super::settlement_offer::offering;
use super::{AfterFailure, OutboxStore, PendingEvent, RetryPolicy, Settlement};
use shared_kernel_application::{
    EventId, EventPublisher, InfrastructureError, PublishError, error_chain,
};

/// Hands claimed events to their handlers and records each outcome in the outbox.
///
/// Both roads an event travels use it: the Unit of Work right after its commit, and the
/// relay for everything that road missed.
pub struct EventDelivery {
    pub publisher: Arc<dyn EventPublisher>,
    pub store: Arc<dyn OutboxStore>,
    pub policy: RetryPolicy,
    pub clock: Arc<dyn Clock>,
}

/// What one delivery run did, for the caller to log (this layer has no logger).
#[derive(Debug, Default)]
pub struct DeliveryReport {
    pub delivered: usize,
    pub held_back: usize,
    /// Events that failed and will be tried again.
    pub retrying: Vec<FailedDelivery>,
    /// Events that failed for the last time and are now parked.
    pub parked: Vec<FailedDelivery>,
    /// Outcomes that could not be recorded. The claim runs out and the event is delivered
    /// again; the handlers' inboxes make that harmless.
    pub unsettled: Vec<InfrastructureError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedDelivery {
    pub event_id: EventId,
    pub event_type: String,
    pub attempts: u32,
    pub error: String,
}

impl DeliveryReport {
    /// How many events this run took a decision on.
    pub fn handled(&self) -> usize {
        self.delivered + self.held_back + self.retrying.len() + self.parked.len()
    }
}

impl EventDelivery {
    /// Delivers `events` in order. Once an event fails, the later events of its aggregate in
    /// the same batch are held back: they wait for it, so that one aggregate's events are
    /// always handled in the order they were recorded.
    pub async fn deliver(&self, events: Vec<PendingEvent>) -> DeliveryReport {
        let mut report = DeliveryReport::default();
        let mut failed_aggregates = HashSet::new();
        for event in events {
            let settlement = if failed_aggregates.contains(&event.aggregate_id) {
                report.held_back += 1;
                Settlement::HeldBack
            } else {
                match self.dispatch(&event).await {
                    Ok(settled_by_handler) => {
                        report.delivered += 1;
                        if settled_by_handler {
                            continue;
                        }
                        Settlement::Delivered
                    }
                    Err(error) => {
                        failed_aggregates.insert(event.aggregate_id);
                        self.after_failure(&event, error, &mut report)
                    }
                }
            };
            if let Err(error) = self
                .store
                .settle(&event, &settlement, self.clock.now())
                .await
            {
                report.unsettled.push(error);
            }
        }
        report
    }

    /// Publishes the event; `Ok(true)` when its one handler settled it in its own
    /// transaction (`SettlementOffer`).
    ///
    /// A handler that settled it and still failed leaves the event delivered: the failure
    /// is reported, and its settlement, which only touches a pending event, changes nothing.
    async fn dispatch(&self, pending: &PendingEvent) -> Result<bool, String> {
        let event = pending.event.as_ref().map_err(Clone::clone)?;
        // The handlers run as work for the request that recorded the event: what they log
        // names it, and the events their own commands record carry it on.
        let span = tracing::info_span!(
            "event",
            event_id = %pending.id,
            event_type = pending.event_type,
            request_id = pending.request_id.as_ref().map(RequestId::as_str),
        );
        let publication = offering(
            pending.id,
            pending.claim,
            self.publisher.has_one_handler(event.as_ref()),
            self.publisher.publish(pending.id, event.as_ref()),
        )
        .instrument(span);
        let (published, settled) = RequestId::scope(pending.request_id.clone(), publication).await;
        count_by_handler(self.publisher.handler_names(event.as_ref()), &published);
        published
            .map(|()| settled)
            .map_err(|error| describe(&error))
    }

    fn after_failure(
        &self,
        event: &PendingEvent,
        error: String,
        report: &mut DeliveryReport,
    ) -> Settlement {
        let attempts = event.attempts.saturating_add(1);
        let failure = FailedDelivery {
            event_id: event.id,
            event_type: event.event_type.clone(),
            attempts,
            error: error.clone(),
        };
        match self.policy.after_failure(attempts) {
            AfterFailure::RetryIn(delay) => {
                report.retrying.push(failure);
                let delay = TimeDelta::from_std(delay).unwrap_or(TimeDelta::MAX);
                Settlement::Retry {
                    attempts,
                    retry_at: self.clock.now() + delay,
                    error,
                }
            }
            AfterFailure::Park => {
                report.parked.push(failure);
                Settlement::Dead { attempts, error }
            }
        }
    }
}

/// `outbox_deliveries_total{handler}` and `outbox_delivery_failures_total{handler}`: each
/// handler of an event that ran, by whether it failed.
fn count_by_handler(handlers: Vec<&'static str>, published: &Result<(), PublishError>) {
    let failed: Vec<&str> = match published {
        Err(PublishError::HandlersFailed(failures)) => {
            failures.iter().map(|failure| failure.handler).collect()
        }
        Err(PublishError::Bus(_)) => handlers.clone(),
        Ok(()) => Vec::new(),
    };
    for handler in handlers {
        let name = if failed.contains(&handler) {
            "outbox_delivery_failures_total"
        } else {
            "outbox_deliveries_total"
        };
        metrics::counter!(name, "handler" => handler).increment(1);
    }
}

/// The whole story of a failed publication, every failing handler's error chain included:
/// what the outbox keeps as the event's last error.
fn describe(error: &PublishError) -> String {
    match error {
        PublishError::HandlersFailed(failures) => failures
            .iter()
            .map(|failure| error_chain(failure))
            .collect::<Vec<_>>()
            .join("; "),
        PublishError::Bus(_) => error_chain(error),
    }
}
