//! The threads passwords are hashed on.

use std::thread;

use shared_kernel_application::InfrastructureError;
use shared_kernel_infrastructure::{JobThreads, QueueLimits};
use thread_priority::{ThreadPriority, set_current_thread_priority};
use tokio::sync::OnceCell;

/// One thread per core, at the lowest scheduling priority (nice 19), that run password
/// hashes one at a time each.
///
/// A hash takes about a quarter of a second of CPU at cost 12. On Tokio's blocking pool, a
/// burst of logins ran as many hashes as there were logins, at the same priority as the
/// request handlers, and a read's p99 went from 4 to 24 ms while they ran
/// (docs/benchmarks.md). Here at most one hash per core runs, and the scheduler lets any
/// request handler that wakes up go first; hashing still takes every cycle nobody else wants,
/// so logins alone still use every core. Further hashes wait their turn in the queue.
///
/// The threads start with the first job (tools that never hash start none) and stop when
/// this is dropped.
pub struct HashingThreads {
    threads: usize,
    queue: QueueLimits,
    started: OnceCell<JobThreads<()>>,
    /// `password_hash_seconds`: how long each hash (or verification) takes on its thread.
    hash_time: metrics::Histogram,
}

impl HashingThreads {
    /// `threads` threads (at least one), whose queue `queue` bounds: past it a login is
    /// refused (503 `overloaded`) rather than kept waiting behind hashes it will not see
    /// the end of.
    pub fn new(threads: usize, queue: QueueLimits) -> Self {
        Self {
            threads: threads.max(1),
            queue,
            started: OnceCell::new(),
            hash_time: metrics::histogram!("password_hash_seconds"),
        }
    }

    /// One per core the process may use.
    pub fn per_core(queue: QueueLimits) -> Self {
        Self::new(
            thread::available_parallelism().map_or(1, usize::from),
            queue,
        )
    }

    /// Runs `job` on one of the threads and waits for its result without blocking the caller's
    /// async worker.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, InfrastructureError> {
        let threads = self
            .started
            .get_or_try_init(|| async {
                JobThreads::start(
                    "password-hash",
                    vec![(); self.threads],
                    lower_priority,
                    self.queue,
                )
            })
            .await
            .map_err(InfrastructureError::during(
                "starting the password hashing threads",
            ))?;
        let hash_time = self.hash_time.clone();
        threads
            .run(move |()| {
                let started = std::time::Instant::now();
                let output = job();
                hash_time.record(started.elapsed().as_secs_f64());
                output
            })
            .await
            .map_err(InfrastructureError::during("hashing a password"))
    }
}

fn lower_priority() {
    if let Err(error) = set_current_thread_priority(ThreadPriority::Min) {
        tracing::warn!(%error, "could not lower a password hashing thread's priority");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_jobs_on_its_own_low_priority_threads() {
        let threads = HashingThreads::new(2, QueueLimits::default());
        let name = threads
            .run(|| thread::current().name().map(str::to_owned))
            .await
            .unwrap();
        assert!(name.unwrap().starts_with("password-hash-"));
        let nice = threads
            .run(|| std::fs::read_to_string("/proc/thread-self/stat"))
            .await
            .unwrap();
        if let Ok(stat) = nice {
            // Field 19 of /proc/…/stat is the nice value; the command name before it ends
            // with ") ".
            let after_name = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
            assert_eq!(after_name.split(' ').nth(16), Some("19"), "{stat}");
        }
    }

    #[tokio::test]
    async fn a_panicking_job_fails_its_caller_and_the_threads_go_on() {
        let threads = HashingThreads::new(1, QueueLimits::default());
        let failed = threads.run(|| panic!("boom")).await;
        assert!(failed.is_err());
        assert_eq!(threads.run(|| 2 + 2).await.unwrap(), 4);
    }
}
