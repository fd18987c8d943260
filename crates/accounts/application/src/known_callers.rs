//! A short memory of the callers the authenticator has found in the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use accounts_contracts::SessionId;
use chrono::{DateTime, Utc};
use shared_kernel_domain::{Clock, UserId};

/// A caller as the authenticator checks it: a user, and the session of their token (`None`
/// for a token from before sessions existed).
pub type Caller = (UserId, Option<SessionId>);

/// Callers lately found in the database (a session still going, or a user who exists), so
/// that every authenticated request does not ask the database again: on SQLite that query was
/// a third of a task-list request's cost (docs/benchmarks.md).
///
/// A session that ends is forgotten at once by the instance that ended it
/// (`ForgetEndedSession`); another instance trusts what it found for at most `ttl`, and so does
/// every instance for a user removed under a running server (a restore, a reset by another
/// process). A zero `ttl` remembers nothing. At most `capacity` callers are remembered: when
/// full, the expired entries go first, and if none had expired, all of them (the next
/// requests simply ask the database again).
pub struct KnownCallers {
    ttl: chrono::Duration,
    capacity: usize,
    clock: Arc<dyn Clock>,
    seen: Mutex<HashMap<Caller, DateTime<Utc>>>,
}

impl KnownCallers {
    pub fn new(ttl: Duration, capacity: usize, clock: Arc<dyn Clock>) -> Self {
        Self {
            ttl: chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX),
            capacity,
            clock,
            seen: Mutex::default(),
        }
    }

    /// One that remembers nothing: every check goes to the database.
    pub fn none(clock: Arc<dyn Clock>) -> Self {
        Self::new(Duration::ZERO, 0, clock)
    }

    /// Whether `caller` was found less than `ttl` ago.
    pub fn contains(&self, caller: Caller) -> bool {
        let now = self.clock.now();
        self.lock()
            .get(&caller)
            .is_some_and(|found_at| self.is_fresh(*found_at, now))
    }

    /// Notes that `caller` was found, as of now.
    pub fn remember(&self, caller: Caller) {
        if self.ttl <= chrono::Duration::zero() || self.capacity == 0 {
            return;
        }
        let now = self.clock.now();
        let mut seen = self.lock();
        if seen.len() >= self.capacity && !seen.contains_key(&caller) {
            seen.retain(|_, found_at| self.is_fresh(*found_at, now));
            if seen.len() >= self.capacity {
                seen.clear();
            }
        }
        seen.insert(caller, now);
    }

    /// Forgets `session`: it has ended.
    pub fn forget_session(&self, session: SessionId) {
        self.lock()
            .retain(|(_, remembered), _| *remembered != Some(session));
    }

    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn is_fresh(&self, found_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now.signed_duration_since(found_at) < self.ttl
    }

    /// The map is only ever read or replaced whole entries at a time, so one left by a
    /// panicking thread is still consistent.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Caller, DateTime<Utc>>> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use shared_kernel_domain::FixedClock;

    use super::*;

    fn caller() -> Caller {
        (UserId::new(), None)
    }

    fn clock() -> Arc<FixedClock> {
        Arc::new(FixedClock::at(DateTime::UNIX_EPOCH))
    }

    #[test]
    fn remembers_a_user_for_the_ttl_and_not_after() {
        let clock = clock();
        let known = KnownCallers::new(Duration::from_secs(30), 10, clock.clone());
        let ada = (UserId::new(), Some(SessionId::new()));
        assert!(!known.contains(ada));

        known.remember(ada);
        assert!(known.contains(ada));
        clock.advance(chrono::Duration::seconds(29));
        assert!(known.contains(ada));
        clock.advance(chrono::Duration::seconds(1));
        assert!(!known.contains(ada));
    }

    #[test]
    fn a_zero_ttl_remembers_nothing() {
        let known = KnownCallers::none(clock());
        let ada = (UserId::new(), Some(SessionId::new()));
        known.remember(ada);
        assert!(!known.contains(ada));
    }

    #[test]
    fn when_full_it_drops_the_expired_users_first() {
        let clock = clock();
        let known = KnownCallers::new(Duration::from_secs(30), 2, clock.clone());
        let (old, recent, new) = (caller(), caller(), caller());
        known.remember(old);
        clock.advance(chrono::Duration::seconds(20));
        known.remember(recent);
        clock.advance(chrono::Duration::seconds(15));

        known.remember(new);

        assert!(known.contains(recent));
        assert!(known.contains(new));
        assert_eq!(known.lock().len(), 2, "the expired user is gone");
    }

    #[test]
    fn when_full_of_fresh_users_it_starts_over() {
        let known = KnownCallers::new(Duration::from_secs(30), 2, clock());
        let users = [caller(), caller(), caller()];
        for user in users {
            known.remember(user);
        }
        assert!(!known.contains(users[0]));
        assert!(!known.contains(users[1]));
        assert!(known.contains(users[2]));
    }

    #[test]
    fn forgets_an_ended_session_and_only_it() {
        let known = KnownCallers::new(Duration::from_secs(30), 10, clock());
        let user = UserId::new();
        let (ended, going) = (SessionId::new(), SessionId::new());
        known.remember((user, Some(ended)));
        known.remember((user, Some(going)));
        known.remember((user, None));

        known.forget_session(ended);

        assert!(!known.contains((user, Some(ended))));
        assert!(known.contains((user, Some(going))));
        assert!(known.contains((user, None)));
    }
}
