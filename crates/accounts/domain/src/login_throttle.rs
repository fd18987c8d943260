//! When a login may not even be tried: the brute-force rules (OWASP ASVS 2.2.1).

use chrono::{DateTime, Duration, Utc};

/// The longest a client must wait after failing again and again: 15 minutes.
pub const MAX_BACKOFF: Duration = Duration::minutes(15);

/// How long the per-account count runs before it starts over.
pub const ACCOUNT_WINDOW: Duration = Duration::hours(1);

/// The failed logins on record for one account: from one client address in a row, and from
/// any address in the account's current hour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailureRecord {
    /// Failures in a row from this address, since its last success.
    pub consecutive: u32,
    pub last_failure_at: Option<DateTime<Utc>>,
    /// Failures from any address since `window_started_at`.
    pub in_window: u32,
    pub window_started_at: Option<DateTime<Utc>>,
}

/// The two limits on failed logins; a limit of 0 is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Failures in a row from one address before that address must wait: 1 s, doubling with
    /// every further failure up to `MAX_BACKOFF`.
    pub max_failures: u32,
    /// Failures from any address an account takes in `ACCOUNT_WINDOW`.
    pub max_failures_per_hour: u32,
}

/// Which rule refused an attempt, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRefusal {
    pub rule: ThrottleRule,
    /// The rule's limit, as configured.
    pub limit: u32,
    pub retry_after: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleRule {
    /// Too many failures in a row for this account from this address.
    ConsecutiveFailures,
    /// Too many failures for this account this hour, from anywhere.
    FailuresPerHour,
}

impl LoginThrottle {
    pub const OFF: Self = Self {
        max_failures: 0,
        max_failures_per_hour: 0,
    };

    /// Whether an attempt at `now` may go ahead given `record`, and if not, the refusal that
    /// ends last. A refused attempt is not a failure: it does not lengthen the wait.
    pub fn check(&self, record: &FailureRecord, now: DateTime<Utc>) -> Option<ThrottleRefusal> {
        let pair = self.pair_wait(record).and_then(|(until, _)| {
            (now < until).then_some(ThrottleRefusal {
                rule: ThrottleRule::ConsecutiveFailures,
                limit: self.max_failures,
                retry_after: until - now,
            })
        });
        let account = self.window_end(record).and_then(|until| {
            (now < until).then_some(ThrottleRefusal {
                rule: ThrottleRule::FailuresPerHour,
                limit: self.max_failures_per_hour,
                retry_after: until - now,
            })
        });
        match (pair, account) {
            (Some(pair), Some(account)) if account.retry_after > pair.retry_after => Some(account),
            (Some(pair), _) => Some(pair),
            (None, account) => account,
        }
    }

    /// Until when the address must wait after its last failure, and for how long in all.
    fn pair_wait(&self, record: &FailureRecord) -> Option<(DateTime<Utc>, Duration)> {
        if self.max_failures == 0 || record.consecutive < self.max_failures {
            return None;
        }
        let wait = backoff(record.consecutive - self.max_failures);
        Some((record.last_failure_at? + wait, wait))
    }

    /// When the account's full hour ends, if it is full.
    fn window_end(&self, record: &FailureRecord) -> Option<DateTime<Utc>> {
        if self.max_failures_per_hour == 0 || record.in_window < self.max_failures_per_hour {
            return None;
        }
        Some(record.window_started_at? + ACCOUNT_WINDOW)
    }
}

/// 1 s after the first failure over the limit, doubling with each one after it, at most
/// `MAX_BACKOFF`.
pub fn backoff(failures_over_the_limit: u32) -> Duration {
    let seconds = 1_i64
        .checked_shl(failures_over_the_limit)
        .unwrap_or(i64::MAX)
        .min(MAX_BACKOFF.num_seconds());
    Duration::seconds(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    const THROTTLE: LoginThrottle = LoginThrottle {
        max_failures: 5,
        max_failures_per_hour: 100,
    };

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + Duration::seconds(seconds)
    }

    fn in_a_row(consecutive: u32, last: i64) -> FailureRecord {
        FailureRecord {
            consecutive,
            last_failure_at: Some(at(last)),
            in_window: consecutive,
            window_started_at: Some(at(0)),
        }
    }

    #[test]
    fn the_wait_starts_at_the_limit_and_doubles_up_to_fifteen_minutes() {
        assert_eq!(backoff(0), Duration::seconds(1));
        assert_eq!(backoff(1), Duration::seconds(2));
        assert_eq!(backoff(5), Duration::seconds(32));
        assert_eq!(backoff(10), MAX_BACKOFF);
        assert_eq!(backoff(200), MAX_BACKOFF);
    }

    #[test]
    fn fewer_failures_than_the_limit_never_wait() {
        assert_eq!(THROTTLE.check(&in_a_row(4, 100), at(100)), None);
        assert_eq!(THROTTLE.check(&FailureRecord::default(), at(0)), None);
    }

    #[test]
    fn at_the_limit_the_address_waits_from_its_last_failure() {
        let record = in_a_row(6, 100);

        let refusal = THROTTLE.check(&record, at(101)).unwrap();

        assert_eq!(refusal.rule, ThrottleRule::ConsecutiveFailures);
        assert_eq!(refusal.retry_after, Duration::seconds(1));
        assert_eq!(THROTTLE.check(&record, at(102)), None);
    }

    #[test]
    fn a_full_hour_refuses_until_the_window_ends() {
        let record = FailureRecord {
            consecutive: 0,
            last_failure_at: None,
            in_window: 100,
            window_started_at: Some(at(0)),
        };

        let refusal = THROTTLE.check(&record, at(600)).unwrap();

        assert_eq!(refusal.rule, ThrottleRule::FailuresPerHour);
        assert_eq!(refusal.retry_after, Duration::seconds(3000));
        assert_eq!(THROTTLE.check(&record, at(3600)), None);
    }

    #[test]
    fn zero_turns_a_limit_off() {
        assert_eq!(LoginThrottle::OFF.check(&in_a_row(1000, 0), at(0)), None);
    }
}
