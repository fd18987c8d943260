//! What the composition root may wrap around every command handler.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use super::BusError;

/// One run of a command's handler, its output type-erased so that one decorator serves every
/// command. It resolves to the handler's `Result<C::Output, C::Error>` in a box, or to a
/// `BusError` when a decorator could not run it.
pub type HandlerRun = Pin<Box<dyn Future<Output = Result<Box<dyn Any + Send>, BusError>> + Send>>;

/// Wraps the run of every command handler on the bus: the hook for what is no use case's
/// business (where a handler runs, what is measured or logged around it). A decorator must
/// hand back what the run returned, and may only add a `BusError` of its own.
///
/// The composition root adds decorators with `HandlerRegistry::decorate_commands`; contexts
/// register their handlers without knowing which decorators there are.
pub trait CommandDecorator: Send + Sync + 'static {
    /// `command` is the command's type name, for logs and metrics.
    fn around(&self, command: &'static str, run: HandlerRun) -> HandlerRun;
}
