//! A short memory of the users the authenticator has found in the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use shared_kernel_domain::{Clock, UserId};

/// Users lately found to exist, so that every authenticated request does not ask the database
/// again: on SQLite that query was a third of a task-list request's cost (docs/benchmarks.md).
///
/// No use case deletes a user. A user disappears only when the data is removed under a
/// running server (a restore, a reset by another process), and then a token of a user this
/// server had just seen keeps working for at most `ttl`; a zero `ttl` remembers nothing.
/// At most `capacity` users are remembered: when full, the expired entries go first, and if
/// none had expired, all of them (the next requests simply ask the database again).
pub struct KnownUsers {
    ttl: chrono::Duration,
    capacity: usize,
    clock: Arc<dyn Clock>,
    seen: Mutex<HashMap<UserId, DateTime<Utc>>>,
}

impl KnownUsers {
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

    /// Whether `user` was found to exist less than `ttl` ago.
    pub fn contains(&self, user: UserId) -> bool {
        let now = self.clock.now();
        self.lock()
            .get(&user)
            .is_some_and(|found_at| self.is_fresh(*found_at, now))
    }

    /// Notes that `user` exists, as of now.
    pub fn remember(&self, user: UserId) {
        if self.ttl <= chrono::Duration::zero() || self.capacity == 0 {
            return;
        }
        let now = self.clock.now();
        let mut seen = self.lock();
        if seen.len() >= self.capacity && !seen.contains_key(&user) {
            seen.retain(|_, found_at| self.is_fresh(*found_at, now));
            if seen.len() >= self.capacity {
                seen.clear();
            }
        }
        seen.insert(user, now);
    }

    fn is_fresh(&self, found_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now.signed_duration_since(found_at) < self.ttl
    }

    /// The map is only ever read or replaced whole entries at a time, so one left by a
    /// panicking thread is still consistent.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<UserId, DateTime<Utc>>> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use shared_kernel_domain::FixedClock;

    use super::*;

    fn clock() -> Arc<FixedClock> {
        Arc::new(FixedClock::at(DateTime::UNIX_EPOCH))
    }

    #[test]
    fn remembers_a_user_for_the_ttl_and_not_after() {
        let clock = clock();
        let known = KnownUsers::new(Duration::from_secs(30), 10, clock.clone());
        let ada = UserId::new();
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
        let known = KnownUsers::none(clock());
        let ada = UserId::new();
        known.remember(ada);
        assert!(!known.contains(ada));
    }

    #[test]
    fn when_full_it_drops_the_expired_users_first() {
        let clock = clock();
        let known = KnownUsers::new(Duration::from_secs(30), 2, clock.clone());
        let (old, recent, new) = (UserId::new(), UserId::new(), UserId::new());
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
        let known = KnownUsers::new(Duration::from_secs(30), 2, clock());
        let users = [UserId::new(), UserId::new(), UserId::new()];
        for user in users {
            known.remember(user);
        }
        assert!(!known.contains(users[0]));
        assert!(!known.contains(users[1]));
        assert!(known.contains(users[2]));
    }
}
