use async_trait::async_trait;

use super::BusError;

/// A request to change the system, handled by exactly one `CommandHandler`.
///
/// `Error` must be able to say that the bus itself failed (no handler registered), so that a
/// caller deals with one error type per command.
pub trait Command: Send + 'static {
    type Output: Send + 'static;
    type Error: From<BusError> + Send + 'static;
}

#[async_trait]
pub trait CommandHandler<C: Command>: Send + Sync + 'static {
    async fn handle(&self, command: C) -> Result<C::Output, C::Error>;
}
