//! The threads passwords are hashed on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use shared_kernel_application::InfrastructureError;
use thread_priority::{ThreadPriority, set_current_thread_priority};
use tokio::sync::{OnceCell, oneshot};

type Job = Box<dyn FnOnce() + Send>;

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
    jobs: OnceCell<Mutex<Sender<Job>>>,
}

impl HashingThreads {
    /// `threads` threads (at least one).
    pub fn new(threads: usize) -> Self {
        Self {
            threads: threads.max(1),
            jobs: OnceCell::new(),
        }
    }

    /// One per core the process may use.
    pub fn per_core() -> Self {
        Self::new(thread::available_parallelism().map_or(1, usize::from))
    }

    async fn jobs(&self) -> Result<&Mutex<Sender<Job>>, InfrastructureError> {
        self.jobs
            .get_or_try_init(|| async {
                let (jobs, queue) = channel::<Job>();
                let queue = Arc::new(Mutex::new(queue));
                for index in 0..self.threads {
                    let queue = queue.clone();
                    thread::Builder::new()
                        .name(format!("password-hash-{index}"))
                        .spawn(move || work(&queue))
                        .map_err(InfrastructureError::during(
                            "starting the password hashing threads",
                        ))?;
                }
                Ok(Mutex::new(jobs))
            })
            .await
    }

    /// Runs `job` on one of the threads and waits for its result without blocking the caller's
    /// async worker.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, InfrastructureError> {
        let (result, answer) = oneshot::channel();
        self.jobs()
            .await?
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send(Box::new(move || {
                // The caller may have stopped waiting; the hash is then simply dropped.
                let _ = result.send(job());
            }))
            .map_err(|_| {
                InfrastructureError::new("hashing a password", "the hashing threads have stopped")
            })?;
        answer
            .await
            .map_err(|_| InfrastructureError::new("hashing a password", "the hashing job panicked"))
    }
}

fn work(queue: &Mutex<Receiver<Job>>) {
    if let Err(error) = set_current_thread_priority(ThreadPriority::Min) {
        tracing::warn!(%error, "could not lower a password hashing thread's priority");
    }
    loop {
        // The lock is held only while waiting for the next job, never while running one.
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = next else {
            return; // the HashingThreads were dropped
        };
        // A panicking job drops its answer channel, which tells its caller; the thread lives on.
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[tokio::test]
    async fn runs_jobs_on_its_own_low_priority_threads() {
        let threads = HashingThreads::new(2);
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
        let threads = HashingThreads::new(1);
        let failed = threads.run(|| panic!("boom")).await;
        assert!(failed.is_err());
        assert_eq!(threads.run(|| 2 + 2).await.unwrap(), 4);
    }

    #[tokio::test]
    async fn concurrent_jobs_all_finish_on_at_most_the_given_threads() {
        let threads = Arc::new(HashingThreads::new(2));
        let jobs = (0..8).map(|_| {
            let threads = threads.clone();
            tokio::spawn(async move {
                threads
                    .run(|| thread::current().name().map(str::to_owned))
                    .await
            })
        });
        let mut names = HashSet::new();
        for job in jobs {
            names.insert(job.await.unwrap().unwrap());
        }
        assert!(names.len() <= 2, "{names:?}");
    }
}
