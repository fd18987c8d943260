//! The shared kernel's application layer: the message bus that carries commands to their one
//! handler and events to their many, and the ports every context's use cases are written
//! against (Unit of Work, outbox and inbox, authentication). No database and no web framework here.

mod authentication;
mod error_report;
mod event_id;
mod infrastructure_error;
pub mod message_bus;
pub mod outbox;
#[cfg(feature = "testing")]
pub mod testing;
mod unit_of_work;
mod validation;

pub use authentication::{AuthenticationError, Authenticator};
pub use error_report::error_chain;
pub use event_id::EventId;
pub use infrastructure_error::InfrastructureError;
pub use message_bus::{
    BusError, BusHandle, Command, CommandHandler, CommandJob, CommandRunner, EventHandler,
    EventHandlerError, EventPublisher, HandlerFailure, HandlerRegistry, InCallersTask, MessageBus,
    PublishError,
};
pub use unit_of_work::{UnitOfWork, UnitOfWorkFactory};
pub use validation::{FieldViolation, InvalidInput};
