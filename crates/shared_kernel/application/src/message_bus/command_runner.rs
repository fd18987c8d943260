//! Where the bus runs command handlers.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;

use super::BusError;

/// A command handler's run, its result type-erased so that one runner serves every command.
pub type CommandJob = Pin<Box<dyn Future<Output = Box<dyn Any + Send>> + Send>>;

/// Runs command handlers to completion, where the writes they make are cheapest.
///
/// By default the bus runs a handler in the caller's task. On SQLite the composition hands
/// the bus the writer's thread instead, so that a Unit of Work's statements run where the
/// write connection lives, without a thread hand-off per statement (ADR 0014). A handler
/// cannot tell the difference: it runs the same code and returns the same result.
#[async_trait]
pub trait CommandRunner: Send + Sync + 'static {
    /// Runs `job` and returns its output; `Stopped` if the place it runs is gone.
    async fn run(&self, job: CommandJob) -> Result<Box<dyn Any + Send>, BusError>;
}

/// Runs a handler in the caller's own task.
pub struct InCallersTask;

#[async_trait]
impl CommandRunner for InCallersTask {
    async fn run(&self, job: CommandJob) -> Result<Box<dyn Any + Send>, BusError> {
        Ok(job.await)
    }
}
