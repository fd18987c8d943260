use std::time::Duration;

use shared_kernel_application::{Unavailability, Unavailable};

/// How far a queue between the listener and a bounded resource may grow: a load above
/// capacity is refused at once (`overloaded`, a 503 with `Retry-After`) instead of queuing
/// until memory and latency grow without end and clients time out (`QUEUE_MAX_JOBS`,
/// `QUEUE_TIMEOUT_MS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueLimits {
    /// At most this many jobs wait; the next is refused.
    pub max_jobs: usize,
    /// A job that has not started after this long is refused, and never runs.
    pub max_wait: Duration,
}

impl Default for QueueLimits {
    /// Far above normal concurrency (hundreds of requests in flight), well below a client's
    /// patience.
    fn default() -> Self {
        Self {
            max_jobs: 1_024,
            max_wait: Duration::from_millis(2_000),
        }
    }
}

/// Why a queue refused a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QueueRefusal {
    #[error("its queue already holds {0} jobs")]
    Full(usize),
    #[error("it could not start within {} ms", .0.as_millis())]
    WaitedTooLong(Duration),
}

impl QueueRefusal {
    /// The refusal as the unavailability the edge answers 503 `overloaded` for.
    pub fn unavailable(self) -> Unavailable {
        Unavailable::because(Unavailability::Overloaded, self)
    }
}
