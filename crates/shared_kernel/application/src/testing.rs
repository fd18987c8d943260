//! Fakes of the shared ports for the application tests of every context.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use crate::Inbox;
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

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}
