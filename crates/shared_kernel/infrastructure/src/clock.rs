use chrono::{DateTime, SubsecRound, Utc};
use shared_kernel_domain::Clock;

/// The real time, for production, to the microsecond: what both SQLite and PostgreSQL store,
/// so that a timestamp reads back exactly as it was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}
