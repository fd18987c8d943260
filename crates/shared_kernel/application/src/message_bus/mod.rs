//! An in-process message bus, cosmicpython style: a command goes to exactly one handler, an
//! event fans out to zero or more. Each context registers its handlers at start-up; the
//! contexts never call each other, they only put messages on the bus.

mod bus;
mod command;
mod decorator;
mod error;
mod event;

pub use bus::{BusHandle, HandlerRegistry, MessageBus};
pub use command::{Command, CommandHandler};
pub use decorator::{CommandDecorator, HandlerRun};
pub use error::BusError;
pub use event::{EventHandler, EventHandlerError, EventPublisher, HandlerFailure, PublishError};
