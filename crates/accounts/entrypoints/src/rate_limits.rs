//! The limits per client address, kept in this instance's memory: with several instances,
//! each counts on its own (docs/security.md).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use shared_kernel_entrypoints::{Problem, RateLimited};

/// After this many checks, the buckets of addresses that have come back to full are dropped,
/// so that a stream of new addresses cannot grow the memory without end.
const CHECKS_BETWEEN_CLEAN_UPS: u64 = 4096;

/// The accounts routes' limits per client address; `None` is off.
pub struct AddressRateLimits {
    /// Password-grant logins (`LOGIN_RATE_PER_MINUTE`); refresh grants do not count.
    pub login: Option<AddressLimit>,
    /// Registrations (`REGISTER_RATE_PER_HOUR`).
    pub register: Option<AddressLimit>,
}

impl AddressRateLimits {
    pub fn new(login_per_minute: u32, register_per_hour: u32) -> Self {
        Self {
            login: AddressLimit::new("login", login_per_minute, 60),
            register: AddressLimit::new("register", register_per_hour, 3600),
        }
    }
}

/// `quota` requests per `window_seconds` from one address, all of them at once if it likes
/// (the burst is the quota), refilled evenly over the window (GCRA).
pub struct AddressLimit {
    name: &'static str,
    quota: u32,
    window_seconds: u64,
    limiter: RateLimiter<
        IpAddr,
        DefaultKeyedStateStore<IpAddr>,
        DefaultClock,
        StateInformationMiddleware,
    >,
    checks: AtomicU64,
}

impl AddressLimit {
    /// `None` when `quota` is 0: the limit is off.
    fn new(name: &'static str, quota: u32, window_seconds: u64) -> Option<Self> {
        let burst = NonZeroU32::new(quota)?;
        let refill = std::time::Duration::from_secs(window_seconds) / quota;
        let quota_per_window = Quota::with_period(refill)?.allow_burst(burst);
        Some(Self {
            name,
            quota,
            window_seconds,
            limiter: RateLimiter::keyed(quota_per_window).with_middleware(),
            checks: AtomicU64::new(0),
        })
    }

    /// Counts a request from `client`; a 429 problem when its bucket is empty.
    pub fn check(&self, client: IpAddr) -> Result<(), Problem> {
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(CHECKS_BETWEEN_CLEAN_UPS)
        {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&client)
            .map(|_| ())
            .map_err(|refused| {
                let retry_after = refused.wait_time_from(self.limiter.clock().now());
                Problem::too_many_requests(
                    format!(
                        "too many requests from this address: at most {} per {} seconds",
                        self.quota, self.window_seconds
                    ),
                    RateLimited {
                        policy: self.name,
                        quota: self.quota,
                        window_seconds: Some(self.window_seconds),
                        retry_after,
                    },
                )
            })
    }
}

/// Checks `limit`, if it is on.
pub fn check(limit: Option<&AddressLimit>, client: IpAddr) -> Result<(), Problem> {
    limit.map_or(Ok(()), |limit| limit.check(client))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([192, 0, 2, last])
    }

    #[test]
    fn an_address_may_spend_its_whole_quota_at_once_and_then_waits() {
        let limit = AddressLimit::new("login", 3, 60).unwrap();

        for _ in 0..3 {
            limit.check(ip(1)).unwrap();
        }
        let refused = limit.check(ip(1)).unwrap_err();

        assert_eq!(refused.status, 429);
        assert_eq!(refused.code, "too_many_requests");
        limit
            .check(ip(2))
            .expect("another address has its own quota");
    }

    #[test]
    fn zero_turns_a_limit_off() {
        assert!(AddressLimit::new("login", 0, 60).is_none());
        let limits = AddressRateLimits::new(0, 0);
        for _ in 0..1000 {
            check(limits.login.as_ref(), ip(1)).unwrap();
        }
    }
}
