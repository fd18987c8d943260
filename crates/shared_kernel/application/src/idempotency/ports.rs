use async_trait::async_trait;

use super::{ClaimedKey, KeyedRequest, Sighting, StoredAnswer};
use crate::InfrastructureError;

/// What claiming a key came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The request holds the key now: it runs, and answers under `ClaimedKey`.
    Claimed(ClaimedKey),
    /// The key was not free (never `Sighting::Free`).
    Taken(Sighting),
}

/// The store of idempotency keys, outside any Unit of Work: each call is a short transaction
/// of its own. The store decides with `KeyRecord::seen_by` on its own clock; it sets a
/// claim's lease and a key's time to live.
#[async_trait]
pub trait IdempotencyKeys: Send + Sync {
    /// Claims the request's key unless it is taken. Two requests that claim one key at once
    /// get one `Claimed` between them.
    async fn claim(&self, request: &KeyedRequest) -> Result<Claim, InfrastructureError>;

    /// What claiming the key would find, claiming nothing: a read, for a route that must know
    /// of a replay before it spends anything on the request (a rate limit).
    async fn look_up(&self, request: &KeyedRequest) -> Result<Sighting, InfrastructureError>;

    /// Keeps `answer` under a claimed key whose request was refused before anything
    /// committed. A claim that has lapsed and been taken over keeps nothing.
    async fn keep(
        &self,
        key: &ClaimedKey,
        answer: &StoredAnswer,
    ) -> Result<(), InfrastructureError>;

    /// Frees a claimed key whose request failed, so that a retry runs again. A claim taken
    /// over, or already answered, is left alone.
    async fn release(&self, key: &ClaimedKey) -> Result<(), InfrastructureError>;
}

/// The answers of claimed keys, written in a Unit of Work's transaction: the command's writes
/// and its answer commit together, or neither does.
#[async_trait]
pub trait IdempotentAnswers: Send + Sync {
    /// Records `answer` under `key`. Fails when the claim no longer holds the key (its lease
    /// ran out and another request took it over): the Unit of Work must then not commit,
    /// since that other request is the one that runs.
    async fn record(
        &self,
        key: &ClaimedKey,
        answer: &StoredAnswer,
    ) -> Result<(), InfrastructureError>;
}
