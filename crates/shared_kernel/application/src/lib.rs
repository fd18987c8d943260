//! The shared kernel's application layer: the message bus that carries commands to their one
//! handler and events to their many, and the ports every context's use cases are written
//! against (Unit of Work, inbox, authentication), with the small building blocks they share
//! (input violations, pages, event codecs, entity tags and preconditions). No database and no
//! web framework here.

mod authentication;
mod conditional;
mod digest;
mod error_report;
mod event_codecs;
mod event_id;
pub mod idempotency;
mod inbox;
mod infrastructure_error;
pub mod message_bus;
mod pagination;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod unavailable;
mod unit_of_work;
mod validation;

pub use authentication::{Authenticated, AuthenticationError, Authenticator};
pub use conditional::{EntityTag, Fingerprint, FingerprintField, Precondition, PreconditionFailed};
pub use digest::sha256_hex;
pub use error_report::error_chain;
pub use event_codecs::{CodecError, Decoder, EncodedEvent, Encoder, EventCodec, EventCodecs};
pub use event_id::EventId;
pub use inbox::Inbox;
pub use infrastructure_error::InfrastructureError;
pub use message_bus::{
    BusError, BusHandle, Command, CommandDecorator, CommandHandler, EventHandler,
    EventHandlerError, EventPublisher, HandlerFailure, HandlerRegistry, HandlerRun, MessageBus,
    PublishError,
};
pub use pagination::{Page, PageSize, PageSizeError};
pub use unavailable::{Unavailability, Unavailable};
pub use unit_of_work::{UnitOfWork, UnitOfWorkFactory};
pub use validation::{FieldViolation, InvalidInput};
