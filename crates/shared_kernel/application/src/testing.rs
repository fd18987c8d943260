//! Fakes of the shared ports for the application tests of every context.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use shared_kernel_domain::{Clock, FixedClock};
use uuid::Uuid;

use crate::Inbox;
use crate::idempotency::{
    Claim, ClaimedKey, IdempotencyKey, IdempotencyKeys, IdempotentAnswers, KeyOwner, KeyRecord,
    KeyState, KeyedRequest, Sighting, StoredAnswer,
};
use crate::{EventId, InfrastructureError};

/// The committed inbox of a fake Unit of Work store.
#[derive(Debug, Default, Clone)]
pub struct InMemoryInbox {
    committed: Arc<Mutex<HashSet<(&'static str, EventId)>>>,
}

impl InMemoryInbox {
    /// The inbox as one Unit of Work sees it: what it records shows only once it commits.
    pub fn begin(&self) -> StagedInbox {
        StagedInbox {
            committed: Arc::clone(&self.committed),
            staged: Mutex::default(),
        }
    }

    pub fn contains(&self, handler: &'static str, event: EventId) -> bool {
        lock(&self.committed).contains(&(handler, event))
    }
}

pub struct StagedInbox {
    committed: Arc<Mutex<HashSet<(&'static str, EventId)>>>,
    staged: Mutex<HashSet<(&'static str, EventId)>>,
}

impl StagedInbox {
    pub fn commit(self) {
        let staged = self.staged.into_inner().unwrap_or_else(|p| p.into_inner());
        lock(&self.committed).extend(staged);
    }
}

#[async_trait]
impl Inbox for StagedInbox {
    async fn first_delivery(
        &self,
        handler: &'static str,
        event: EventId,
    ) -> Result<bool, InfrastructureError> {
        let key = (handler, event);
        if lock(&self.committed).contains(&key) {
            return Ok(false);
        }
        Ok(lock(&self.staged).insert(key))
    }
}

/// The idempotency keys of a fake store, on a clock the test may move. A claim's lease and a
/// key's time to live are those of the server's defaults (30 s, 24 h) unless told otherwise.
#[derive(Clone)]
pub struct InMemoryIdempotencyKeys {
    shared: Arc<KeysShared>,
}

struct KeysShared {
    records: Mutex<HashMap<(KeyOwner, IdempotencyKey), KeyRecord>>,
    clock: Arc<dyn Clock>,
    ttl: TimeDelta,
    lease: TimeDelta,
    /// Keeping and releasing fail, as a database that went away would.
    writes_fail: AtomicBool,
}

impl Default for InMemoryIdempotencyKeys {
    fn default() -> Self {
        Self::on(Arc::new(FixedClock::at(DateTime::UNIX_EPOCH)))
    }
}

impl InMemoryIdempotencyKeys {
    pub fn on(clock: Arc<dyn Clock>) -> Self {
        Self {
            shared: Arc::new(KeysShared {
                records: Mutex::default(),
                clock,
                ttl: TimeDelta::hours(24),
                lease: TimeDelta::seconds(30),
                writes_fail: AtomicBool::new(false),
            }),
        }
    }

    /// The answers as one Unit of Work records them: they show only once it commits.
    pub fn begin(&self) -> StagedAnswers {
        StagedAnswers {
            shared: Arc::clone(&self.shared),
            staged: Mutex::default(),
        }
    }

    /// What is stored under `owner`'s `key`.
    pub fn record(&self, owner: &KeyOwner, key: &IdempotencyKey) -> Option<KeyRecord> {
        lock(&self.shared.records)
            .get(&(owner.clone(), key.clone()))
            .cloned()
    }

    /// From now on, `keep` and `release` fail (or work again).
    pub fn fail_writes(&self, fail: bool) {
        self.shared.writes_fail.store(fail, Ordering::SeqCst);
    }

    fn write(&self) -> Result<(), InfrastructureError> {
        match self.shared.writes_fail.load(Ordering::SeqCst) {
            true => Err(InfrastructureError::new(
                "writing an idempotency key",
                "the fake store is down",
            )),
            false => Ok(()),
        }
    }
}

impl KeysShared {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Whether `key`'s claim still holds its key.
    fn holds(records: &HashMap<(KeyOwner, IdempotencyKey), KeyRecord>, key: &ClaimedKey) -> bool {
        records
            .get(&(key.owner.clone(), key.key.clone()))
            .is_some_and(|record| {
                matches!(record.state, KeyState::Running { claim, .. } if claim == key.claim)
            })
    }

    /// Answers `key` if its claim still holds it.
    fn answer(
        records: &mut HashMap<(KeyOwner, IdempotencyKey), KeyRecord>,
        key: &ClaimedKey,
        answer: &StoredAnswer,
    ) {
        if Self::holds(records, key)
            && let Some(record) = records.get_mut(&(key.owner.clone(), key.key.clone()))
        {
            record.state = KeyState::Answered(answer.clone());
        }
    }
}

#[async_trait]
impl IdempotencyKeys for InMemoryIdempotencyKeys {
    async fn claim(&self, request: &KeyedRequest) -> Result<Claim, InfrastructureError> {
        let now = self.shared.now();
        let mut records = lock(&self.shared.records);
        let slot = (request.owner.clone(), request.key.clone());
        let sighting = records.get(&slot).map_or(Sighting::Free, |record| {
            record.seen_by(&request.fingerprint, now)
        });
        if sighting != Sighting::Free {
            return Ok(Claim::Taken(sighting));
        }
        let claim = Uuid::now_v7();
        records.insert(
            slot,
            KeyRecord {
                fingerprint: request.fingerprint.clone(),
                state: KeyState::Running {
                    claim,
                    lease_until: now + self.shared.lease,
                },
                expires_at: now + self.shared.ttl,
            },
        );
        Ok(Claim::Claimed(ClaimedKey {
            owner: request.owner.clone(),
            key: request.key.clone(),
            claim,
        }))
    }

    async fn look_up(&self, request: &KeyedRequest) -> Result<Sighting, InfrastructureError> {
        let now = self.shared.now();
        Ok(lock(&self.shared.records)
            .get(&(request.owner.clone(), request.key.clone()))
            .map_or(Sighting::Free, |record| {
                record.seen_by(&request.fingerprint, now)
            }))
    }

    async fn keep(
        &self,
        key: &ClaimedKey,
        answer: &StoredAnswer,
    ) -> Result<(), InfrastructureError> {
        self.write()?;
        KeysShared::answer(&mut lock(&self.shared.records), key, answer);
        Ok(())
    }

    async fn release(&self, key: &ClaimedKey) -> Result<(), InfrastructureError> {
        self.write()?;
        let mut records = lock(&self.shared.records);
        if KeysShared::holds(&records, key) {
            records.remove(&(key.owner.clone(), key.key.clone()));
        }
        Ok(())
    }
}

/// The answers one fake Unit of Work records.
pub struct StagedAnswers {
    shared: Arc<KeysShared>,
    staged: Mutex<Vec<(ClaimedKey, StoredAnswer)>>,
}

impl StagedAnswers {
    pub fn commit(self) {
        let staged = self.staged.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut records = lock(&self.shared.records);
        for (key, answer) in staged {
            KeysShared::answer(&mut records, &key, &answer);
        }
    }
}

#[async_trait]
impl IdempotentAnswers for StagedAnswers {
    async fn record(
        &self,
        key: &ClaimedKey,
        answer: &StoredAnswer,
    ) -> Result<(), InfrastructureError> {
        let holds = KeysShared::holds(&lock(&self.shared.records), key);
        if !holds {
            return Err(InfrastructureError::new(
                "recording an idempotent answer",
                "the claim no longer holds the key",
            ));
        }
        lock(&self.staged).push((key.clone(), answer.clone()));
        Ok(())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}
