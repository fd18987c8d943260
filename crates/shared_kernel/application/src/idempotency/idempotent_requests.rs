use std::future::Future;
use std::sync::Arc;

use super::keyed_answer::RenderAnswer;
use super::{Claim, IdempotencyKeys, KeyedAnswer, KeyedRequest, Sighting, StoredAnswer};
use crate::InfrastructureError;

/// Runs requests that came with an idempotency key: once per key, the first answer given
/// again to every repetition (see the module's documentation).
pub struct IdempotentRequests {
    keys: Arc<dyn IdempotencyKeys>,
}

/// How a keyed request that did not succeed ended, as the edge tells it.
#[derive(Debug)]
pub enum Failure<F> {
    /// Refused before anything committed (a 4xx): the answer is kept, and a retry gets it
    /// again.
    Refused(StoredAnswer),
    /// What a retry must be able to get past (a 5xx, a rate limit): the key is freed, and
    /// `F` is answered this once.
    Transient(F),
}

/// What to answer a keyed request.
#[derive(Debug)]
pub enum Reply<F> {
    /// This request's own answer, kept under its key.
    Fresh(StoredAnswer),
    /// The answer an earlier request with the same key got.
    Replayed(StoredAnswer),
    /// This request's failure, kept nowhere.
    Transient(F),
}

/// The reply, and what kept the key's record from being brought up to date, if anything: an
/// answer not kept, a key not released. The client's answer stands; the key's claim lapses
/// at the end of its lease, and a retry then runs again.
#[derive(Debug)]
pub struct Replied<F> {
    pub reply: Reply<F>,
    pub unsettled: Option<InfrastructureError>,
}

/// Why a keyed request is not run.
#[derive(Debug, thiserror::Error)]
pub enum IdempotencyError {
    #[error("a request with this idempotency key is still running")]
    InProgress,
    #[error("this idempotency key was used for another request")]
    KeyReused,
    #[error("the idempotency key could not be looked up")]
    Infrastructure(#[from] InfrastructureError),
}

impl IdempotentRequests {
    pub fn new(keys: Arc<dyn IdempotencyKeys>) -> Self {
        Self { keys }
    }

    /// The answer to replay, if `request` was answered before; `None` when it may run.
    /// Claims nothing: for a route that checks before it spends anything on a request
    /// (registration's rate limit), and then `run`s it.
    pub async fn replay(
        &self,
        request: &KeyedRequest,
    ) -> Result<Option<StoredAnswer>, IdempotencyError> {
        match self.keys.look_up(request).await? {
            Sighting::Free => Ok(None),
            Sighting::Answered(answer) => Ok(Some(answer)),
            Sighting::Running => Err(IdempotencyError::InProgress),
            Sighting::Reused => Err(IdempotencyError::KeyReused),
        }
    }

    /// Runs `request` once: claims its key, hands `execute` the `KeyedAnswer` its command
    /// records with its writes, and settles the key by how it ended. `render` is how the
    /// command's result reads as the answer; a key already answered replays that answer
    /// without running anything.
    pub async fn run<O, F, Fut>(
        &self,
        request: &KeyedRequest,
        render: Arc<RenderAnswer<O>>,
        execute: impl FnOnce(KeyedAnswer<O>) -> Fut,
    ) -> Result<Replied<F>, IdempotencyError>
    where
        Fut: Future<Output = Result<O, Failure<F>>>,
    {
        let claimed = match self.keys.claim(request).await? {
            Claim::Claimed(claimed) => claimed,
            Claim::Taken(Sighting::Answered(answer)) => {
                return Ok(Replied {
                    reply: Reply::Replayed(answer),
                    unsettled: None,
                });
            }
            Claim::Taken(Sighting::Running) => return Err(IdempotencyError::InProgress),
            Claim::Taken(Sighting::Reused) => return Err(IdempotencyError::KeyReused),
            Claim::Taken(Sighting::Free) => {
                return Err(InfrastructureError::new(
                    "claiming an idempotency key",
                    "the store found the key free and did not claim it",
                )
                .into());
            }
        };
        let keyed = KeyedAnswer::new(claimed.clone(), render.clone());
        let recorded = keyed.was_recorded();
        let (reply, unsettled) = match execute(keyed).await {
            Ok(output) => {
                let answer = render(&output)?;
                let unsettled = if recorded.get() {
                    None
                } else {
                    // A command that committed without recording its answer (a handler that
                    // forgot to): keep it now, if not with its writes, and say so.
                    let kept = self.keys.keep(&claimed, &answer).await;
                    Some(kept.err().unwrap_or_else(|| {
                        InfrastructureError::new(
                            "answering an idempotent request",
                            "the command committed without recording its answer",
                        )
                    }))
                };
                (Reply::Fresh(answer), unsettled)
            }
            Err(Failure::Refused(answer)) => {
                let unsettled = self.keys.keep(&claimed, &answer).await.err();
                (Reply::Fresh(answer), unsettled)
            }
            Err(Failure::Transient(failure)) => {
                let unsettled = self.keys.release(&claimed).await.err();
                (Reply::Transient(failure), unsettled)
            }
        };
        Ok(Replied { reply, unsettled })
    }
}

#[cfg(test)]
mod tests;
