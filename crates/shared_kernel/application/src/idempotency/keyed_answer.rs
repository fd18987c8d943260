use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{ClaimedKey, IdempotentAnswers, StoredAnswer};
use crate::InfrastructureError;

/// What a command's answer reads as: produced at the edge, which knows how a result is
/// answered; fallible only for a response the edge cannot keep (a body that is not bytes).
pub type RenderAnswer<O> = dyn Fn(&O) -> Result<StoredAnswer, InfrastructureError> + Send + Sync;

/// What a command carries when its request came with an idempotency key: the claimed key,
/// and how its result `O` reads as the answer. The handler calls `record` with its result in
/// its Unit of Work, before it commits.
pub struct KeyedAnswer<O> {
    key: ClaimedKey,
    render: Arc<RenderAnswer<O>>,
    recorded: Arc<AtomicBool>,
}

impl<O> KeyedAnswer<O> {
    pub fn new(key: ClaimedKey, render: Arc<RenderAnswer<O>>) -> Self {
        Self {
            key,
            render,
            recorded: Arc::default(),
        }
    }

    /// Records the answer `output` reads as under the key, through the Unit of Work's
    /// `answers`.
    pub async fn record(
        &self,
        output: &O,
        answers: &dyn IdempotentAnswers,
    ) -> Result<(), InfrastructureError> {
        let answer = (self.render)(output)?;
        answers.record(&self.key, &answer).await?;
        self.recorded.store(true, Ordering::Release);
        Ok(())
    }

    /// Whether `record` succeeded: a command that succeeds without it has committed without
    /// its answer, which the edge then keeps on its own (`IdempotentRequests::run`).
    pub(super) fn was_recorded(&self) -> RecordedFlag {
        RecordedFlag(self.recorded.clone())
    }
}

/// Whether a `KeyedAnswer` was recorded, kept by whoever handed it to the command.
pub(super) struct RecordedFlag(Arc<AtomicBool>);

impl RecordedFlag {
    pub(super) fn get(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// Commands derive `Debug`; the renderer has nothing to show.
impl<O> fmt::Debug for KeyedAnswer<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyedAnswer")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}
