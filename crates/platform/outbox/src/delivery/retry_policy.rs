use std::time::Duration;

/// How often, and how far apart, an event whose handler fails is tried again.
///
/// The delay doubles after each failed attempt, from `first_delay` up to `max_delay`; after
/// `max_attempts` failed attempts the event is parked as dead until an operator re-queues it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
}

/// What to do with an event after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryIn(Duration),
    Park,
}

impl RetryPolicy {
    /// `failed_attempts` counts every failed attempt so far, the one that just failed
    /// included.
    pub fn after_failure(&self, failed_attempts: u32) -> AfterFailure {
        if failed_attempts >= self.max_attempts {
            return AfterFailure::Park;
        }
        let doublings = failed_attempts.saturating_sub(1).min(31);
        let delay = self
            .first_delay
            .checked_mul(1 << doublings)
            .unwrap_or(self.max_delay);
        AfterFailure::RetryIn(delay.min(self.max_delay))
    }
}

impl Default for RetryPolicy {
    /// Ten attempts over about eight and a half minutes: 1 s, 2 s, 4 s, … capped at 5 min.
    fn default() -> Self {
        Self {
            max_attempts: 10,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(300),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 6,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(10),
        }
    }

    #[test]
    fn the_delay_doubles_after_each_failure_up_to_the_maximum() {
        let delays: Vec<AfterFailure> = (1..=5).map(|n| policy().after_failure(n)).collect();
        let secs = |s| AfterFailure::RetryIn(Duration::from_secs(s));
        assert_eq!(delays, vec![secs(1), secs(2), secs(4), secs(8), secs(10)]);
    }

    #[test]
    fn the_event_is_parked_once_every_attempt_has_failed() {
        assert_eq!(policy().after_failure(6), AfterFailure::Park);
        assert_eq!(policy().after_failure(7), AfterFailure::Park);
    }

    #[test]
    fn a_huge_attempt_count_does_not_overflow() {
        let policy = RetryPolicy {
            max_attempts: u32::MAX,
            ..policy()
        };
        assert_eq!(
            policy.after_failure(u32::MAX - 1),
            AfterFailure::RetryIn(Duration::from_secs(10))
        );
    }
}
