//! The sessions lately found going, as the service's accounts context remembers them
//! (`KnownCallers`): without it every request would ask the database, which the service
//! does not do.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

pub struct KnownCallers {
    ttl: Duration,
    seen: Mutex<HashMap<(Uuid, Uuid), Instant>>,
}

impl KnownCallers {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            seen: Mutex::default(),
        }
    }

    pub fn contains(&self, caller: (Uuid, Uuid)) -> bool {
        let seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        seen.get(&caller)
            .is_some_and(|found_at| found_at.elapsed() < self.ttl)
    }

    pub fn remember(&self, caller: (Uuid, Uuid)) {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.len() >= 10_000 {
            seen.clear();
        }
        seen.insert(caller, Instant::now());
    }
}
