use chrono::{DateTime, Utc};
use shared_kernel_domain::Clock;

/// The real time, for production.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
