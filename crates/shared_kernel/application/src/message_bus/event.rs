use std::error::Error;

use async_trait::async_trait;
use shared_kernel_domain::{DomainEvent, EventRef};

/// Why an event handler failed; kept whole so that its chain can be logged.
pub type EventHandlerError = Box<dyn Error + Send + Sync>;

/// Reacts to one type of event. Many handlers may react to the same event.
#[async_trait]
pub trait EventHandler<E: DomainEvent>: Send + Sync + 'static {
    /// A stable name for logs, e.g. `projects.CreateStarterProject`.
    fn name(&self) -> &'static str;
    async fn handle(&self, event: &E) -> Result<(), EventHandlerError>;
}

/// Where a Unit of Work hands the events of a committed transaction.
#[async_trait]
pub trait EventPublisher: Send + Sync {
    /// Delivers every event to every handler registered for it, in order. A failing handler
    /// does not stop the others; every failure is returned so that the caller can log it.
    async fn publish(&self, events: Vec<EventRef>) -> Result<(), PublishError>;
}

#[derive(Debug, thiserror::Error)]
#[error("event handler {handler} failed on {event_type}")]
pub struct HandlerFailure {
    pub handler: &'static str,
    pub event_type: &'static str,
    #[source]
    pub error: EventHandlerError,
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("{} event handler(s) failed", .0.len())]
    HandlersFailed(Vec<HandlerFailure>),
    #[error(transparent)]
    Bus(#[from] super::BusError),
}
