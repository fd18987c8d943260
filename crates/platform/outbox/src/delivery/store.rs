use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shared_kernel_domain::EventRef;
use shared_kernel_infrastructure::RequestId;
use uuid::Uuid;

use shared_kernel_application::{EventId, InfrastructureError};

/// An event taken from the outbox for delivery, under a claim that lasts until its lease
/// runs out.
#[derive(Debug, Clone)]
pub struct PendingEvent {
    pub id: EventId,
    /// Events of one aggregate are delivered in the order they were recorded.
    pub aggregate_id: Uuid,
    pub event_type: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Who holds the claim: a settlement by anyone else (whose lease ran out) is ignored.
    pub claim: Uuid,
    /// The event, or why the stored row could not be read back as one (an unknown type or
    /// version, a payload that no longer parses). Such an event fails every attempt and ends
    /// up dead, where an operator sees it.
    pub event: Result<EventRef, String>,
    /// The request whose command recorded the event: its handlers run as work for it.
    pub request_id: Option<RequestId>,
}

/// How a claimed event's delivery ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// Every handler succeeded.
    Delivered,
    /// A handler failed; try again at `retry_at`.
    Retry {
        attempts: u32,
        retry_at: DateTime<Utc>,
        error: String,
    },
    /// A handler failed and every attempt is spent: park the event until an operator
    /// re-queues it.
    Dead { attempts: u32, error: String },
    /// Not attempted because an earlier event of its aggregate failed in the same batch:
    /// give the claim back without counting an attempt.
    HeldBack,
}

/// Where recorded events wait until every handler has processed them.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` events that are due at `now`, oldest first, for `lease`. An
    /// event is due when it is pending, its retry time has come, nobody holds a live claim on
    /// it, and no earlier event of its aggregate is still undelivered.
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<PendingEvent>, InfrastructureError>;

    /// Records how the delivery of `event` ended, if its claim is still the current one.
    async fn settle(
        &self,
        event: &PendingEvent,
        settlement: &Settlement,
        now: DateTime<Utc>,
    ) -> Result<(), InfrastructureError>;
}
