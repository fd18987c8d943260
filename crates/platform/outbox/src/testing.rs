//! A platform for infrastructure tests.

use std::sync::Arc;
use std::time::Duration;

use platform_database::Database;
use shared_kernel_application::{EventCodecs, EventPublisher};
use shared_kernel_infrastructure::SystemClock;

use crate::delivery::RetryPolicy;
use crate::{OutboxSettings, Platform};

/// The platform on `database`: events are written with `codecs` and delivered to `publisher`
/// after each commit, with the default retry policy, a 30 s lease, no purge and the system
/// clock.
pub fn platform(
    database: &Database,
    codecs: EventCodecs,
    publisher: Arc<dyn EventPublisher>,
) -> Platform {
    Platform::new(
        database,
        Arc::new(codecs),
        publisher,
        OutboxSettings {
            retry: RetryPolicy::default(),
            poll_interval: Duration::from_secs(1),
            claim_lease: Duration::from_secs(30),
            retention: None,
        },
        Arc::new(SystemClock),
    )
}
