use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use tokio::sync::oneshot;

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

/// Where a job in a queue stands, shared by the job and its caller: the caller may give up on
/// it only while it has not started, and a job given up on never runs.
#[derive(Debug, Clone, Default)]
pub struct StartGate(Arc<AtomicU8>);

const QUEUED: u8 = 0;
const STARTED: u8 = 1;
const ABANDONED: u8 = 2;

impl StartGate {
    /// For the job, as it leaves the queue: whether it may run (its caller has not given up).
    pub fn start(&self) -> bool {
        self.0
            .compare_exchange(QUEUED, STARTED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// For the caller: waits for `answer`, but gives the job up, and refuses it, when it has
    /// not started within `max_wait`. A job that started in time is waited for to its end.
    pub async fn answer<T>(
        &self,
        max_wait: Duration,
        answer: &mut oneshot::Receiver<T>,
    ) -> Result<Result<T, oneshot::error::RecvError>, QueueRefusal> {
        match tokio::time::timeout(max_wait, &mut *answer).await {
            Ok(answered) => Ok(answered),
            Err(_) => match self.0.compare_exchange(
                QUEUED,
                ABANDONED,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => Err(QueueRefusal::WaitedTooLong(max_wait)),
                Err(_) => Ok(answer.await),
            },
        }
    }
}
