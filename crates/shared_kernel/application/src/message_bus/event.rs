use std::error::Error;

use async_trait::async_trait;
use shared_kernel_domain::DomainEvent;

use crate::EventId;

/// Why an event handler failed; kept whole so that its chain can be logged.
pub type EventHandlerError = Box<dyn Error + Send + Sync>;

/// Reacts to one type of event. Many handlers may react to the same event.
#[async_trait]
pub trait EventHandler<E: DomainEvent>: Send + Sync + 'static {
    /// A stable name for logs and for the inbox, e.g. `projects.CreateStarterProject`.
    /// The inbox knows a handler by this name: after a rename, an event delivered again
    /// (a retry, a lost lease) is processed again.
    fn name(&self) -> &'static str;

    /// Reacts to `event`. The same event may arrive more than once (delivery is at least
    /// once): a handler with an effect records `id` in its `Inbox`, in the transaction of
    /// that effect, and does nothing when the inbox has seen it.
    async fn handle(&self, event: &E, id: EventId) -> Result<(), EventHandlerError>;
}

/// Hands a stored event to the handlers registered for its type.
#[async_trait]
pub trait EventPublisher: Send + Sync {
    /// Whether any handler reacts to `event`. An event nobody handles is stored as already
    /// delivered, so that it costs the outbox nothing.
    fn has_handlers(&self, event: &dyn DomainEvent) -> bool;

    /// Whether exactly one handler reacts to `event`: the outbox then records the event's
    /// delivery in that handler's own transaction, one commit fewer. Saying `false` is
    /// always safe.
    fn has_one_handler(&self, _event: &dyn DomainEvent) -> bool {
        false
    }

    /// The names of the handlers that react to `event`, in the order they run: for the
    /// delivery metrics by handler. None known is always safe.
    fn handler_names(&self, _event: &dyn DomainEvent) -> Vec<&'static str> {
        Vec::new()
    }

    /// Delivers `event` to every handler registered for it, in registration order. A failing
    /// handler does not stop the others; every failure is returned.
    async fn publish(&self, id: EventId, event: &dyn DomainEvent) -> Result<(), PublishError>;
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
