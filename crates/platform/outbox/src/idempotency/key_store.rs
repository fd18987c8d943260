use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use platform_database::{ReadConnection, WriteConnection};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use shared_kernel_application::InfrastructureError;
use shared_kernel_application::idempotency::{
    Claim, ClaimedKey, IdempotencyKeys, KeyedRequest, Sighting, StoredAnswer,
};
use shared_kernel_domain::Clock;
use uuid::Uuid;

use super::entity::{ActiveModel, Column, Entity, Model};
use super::rows::{answer_update, record_of, release_delete, stored_millis};
use crate::Platform;

/// How long keys live and claims hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdempotencySettings {
    /// `IDEMPOTENCY_KEY_TTL_HOURS`: how long a key replays its answer, from its first claim.
    pub key_ttl: Duration,
    /// How long a claim keeps a key from other requests when its own never answers (its
    /// process died). Far longer than any request runs (the writer's queue and the database
    /// give up after seconds), so that a retry never takes over a request that is still
    /// going; short enough that a client retrying after a crash waits only that long.
    pub claim_lease: Duration,
}

impl IdempotencySettings {
    pub const DEFAULT_CLAIM_LEASE: Duration = Duration::from_secs(30);

    /// Keys living `key_ttl`, with the default lease.
    pub fn with_ttl(key_ttl: Duration) -> Self {
        Self {
            key_ttl,
            claim_lease: Self::DEFAULT_CLAIM_LEASE,
        }
    }
}

/// The idempotency keys in `idempotency_keys`, each call a transaction of its own (a claim),
/// a single statement (keeping, releasing) or a read (looking up).
///
/// A claim inserts the key as running, or finds it there: then the row is locked (`FOR UPDATE`
/// on PostgreSQL; on SQLite the transaction's `BEGIN IMMEDIATE` already makes it the only
/// writer), judged by `KeyRecord::seen_by`, and taken over only when free. Two requests that
/// claim one key at once queue on its primary key: the second sees the first's claim once it
/// commits.
pub struct SeaOrmIdempotencyKeys {
    transactions: WriteConnection,
    queries: ReadConnection,
    clock: Arc<dyn Clock>,
    ttl: TimeDelta,
    lease: TimeDelta,
}

impl SeaOrmIdempotencyKeys {
    /// Claims and keeps through `transactions`, looks up through `queries`, on `clock`.
    pub fn new(
        transactions: WriteConnection,
        queries: ReadConnection,
        clock: Arc<dyn Clock>,
        settings: IdempotencySettings,
    ) -> Self {
        Self {
            transactions,
            queries,
            clock,
            ttl: TimeDelta::from_std(settings.key_ttl).unwrap_or(TimeDelta::MAX),
            lease: TimeDelta::from_std(settings.claim_lease).unwrap_or(TimeDelta::MAX),
        }
    }

    /// The keys on the platform's connections and clock.
    pub fn on(platform: &Platform, settings: IdempotencySettings) -> Self {
        Self::new(
            platform.transactions.clone(),
            platform.queries.clone(),
            platform.clock.clone(),
            settings,
        )
    }

    /// The row of `request`'s key, claimed by `claim` at `now`.
    fn claimed_row(&self, request: &KeyedRequest, claim: Uuid, now: DateTime<Utc>) -> ActiveModel {
        ActiveModel {
            owner: Set(request.owner.as_str().to_owned()),
            idempotency_key: Set(request.key.as_str().to_owned()),
            fingerprint: Set(request.fingerprint.as_str().to_owned()),
            claim: Set(Some(claim)),
            lease_until: Set(Some(later(now, self.lease))),
            answer_status: Set(None),
            answer_headers: Set(None),
            answer_body: Set(None),
            created_at: Set(now),
            expires_at: Set(later(now, self.ttl)),
        }
    }
}

/// `now + by` in Unix milliseconds, saturating.
fn later(now: DateTime<Utc>, by: TimeDelta) -> i64 {
    now.checked_add_signed(by).map_or(i64::MAX, stored_millis)
}

/// The row of `request`'s key.
fn key_row(request: &KeyedRequest) -> sea_orm::Select<Entity> {
    Entity::find_by_id((
        request.owner.as_str().to_owned(),
        request.key.as_str().to_owned(),
    ))
}

const CLAIMING: &str = "claiming an idempotency key";

#[async_trait]
impl IdempotencyKeys for SeaOrmIdempotencyKeys {
    async fn claim(&self, request: &KeyedRequest) -> Result<Claim, InfrastructureError> {
        let now = self.clock.now();
        let claim = Uuid::now_v7();
        let transaction = self
            .transactions
            .begin()
            .await
            .map_err(InfrastructureError::during(CLAIMING))?;
        let row = self.claimed_row(request, claim, now);
        let inserted = transaction
            .execute(&Entity::insert(row.clone()).on_conflict_do_nothing())
            .await
            .map_err(InfrastructureError::during(CLAIMING))?;
        if inserted == 0 {
            let found = transaction
                .find_unique::<_, Model>(key_row(request).lock_exclusive())
                .await
                .map_err(InfrastructureError::during(CLAIMING))?;
            // Gone between the two statements (its request failed and released it): as good
            // as running, since a request had it a moment ago; the client's retry finds it
            // free.
            let Some(found) = found else {
                return Ok(Claim::Taken(Sighting::Running));
            };
            match record_of(found)?.seen_by(&request.fingerprint, now) {
                Sighting::Free => {
                    let take_over = Entity::update_many()
                        .set(row)
                        .filter(Column::Owner.eq(request.owner.as_str()))
                        .filter(Column::IdempotencyKey.eq(request.key.as_str()));
                    transaction
                        .execute(&take_over)
                        .await
                        .map_err(InfrastructureError::during(CLAIMING))?;
                }
                // Nothing written: the dropped transaction rolls back.
                taken => return Ok(Claim::Taken(taken)),
            }
        }
        transaction
            .commit()
            .await
            .map_err(InfrastructureError::during(CLAIMING))?;
        Ok(Claim::Claimed(ClaimedKey {
            owner: request.owner.clone(),
            key: request.key.clone(),
            claim,
        }))
    }

    async fn look_up(&self, request: &KeyedRequest) -> Result<Sighting, InfrastructureError> {
        let found = self
            .queries
            .one::<_, Model>("looking up an idempotency key", key_row(request))
            .await?;
        Ok(match found {
            None => Sighting::Free,
            Some(found) => record_of(found)?.seen_by(&request.fingerprint, self.clock.now()),
        })
    }

    async fn keep(
        &self,
        key: &ClaimedKey,
        answer: &StoredAnswer,
    ) -> Result<(), InfrastructureError> {
        self.transactions
            .execute_alone(&answer_update(key, answer)?)
            .await
            .map_err(InfrastructureError::during("keeping an idempotent answer"))?;
        Ok(())
    }

    async fn release(&self, key: &ClaimedKey) -> Result<(), InfrastructureError> {
        self.transactions
            .execute_alone(&release_delete(key))
            .await
            .map_err(InfrastructureError::during("releasing an idempotency key"))?;
        Ok(())
    }
}
