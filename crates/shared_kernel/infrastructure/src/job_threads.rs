//! A few threads of our own that run blocking jobs handed to them from async code: the SQLite
//! readers (each thread owns a connection) and the password hashing threads (each at the
//! lowest priority).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};

use shared_kernel_application::Unavailable;

use crate::{QueueLimits, QueueRefusal, StartGate};

type Job<S> = Box<dyn FnOnce(&S) + Send>;

/// Threads that take jobs from one shared queue, each with a state of its own that its jobs
/// use (`()` for none). The queue is bounded by `QueueLimits`. Cloning shares the threads;
/// they stop, and drop their states, when the last clone is dropped.
pub struct JobThreads<S> {
    jobs: Sender<Job<S>>,
    queue: Arc<Queue>,
}

impl<S> Clone for JobThreads<S> {
    fn clone(&self) -> Self {
        Self {
            jobs: self.jobs.clone(),
            queue: self.queue.clone(),
        }
    }
}

/// How many jobs wait, against the limits, and the gauge that shows it
/// (`<name>_queue_depth`).
struct Queue {
    limits: QueueLimits,
    waiting: AtomicUsize,
    depth: metrics::Gauge,
}

impl Queue {
    fn left(&self) {
        let waiting = self.waiting.fetch_sub(1, Ordering::AcqRel) - 1;
        self.depth.set(waiting as f64);
    }
}

/// Why a job did not give its result.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("the thread stopped before it answered (its job panicked, or the threads are gone)")]
    Stopped,
    #[error("the job was not run")]
    Refused(#[source] Unavailable),
}

impl<S: Send + 'static> JobThreads<S> {
    /// Starts one thread per state, named `{name}-{index}`, each running `on_start` first.
    /// Its queue's depth is the gauge `{name}_queue_depth` (with `_` for `-`).
    pub fn start(
        name: &str,
        states: Vec<S>,
        on_start: fn(),
        limits: QueueLimits,
    ) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job<S>>();
        let queue = Arc::new(Mutex::new(queue));
        for (index, state) in states.into_iter().enumerate() {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("{name}-{index}"))
                .spawn(move || {
                    on_start();
                    work(&state, &queue);
                })?;
        }
        let depth = metrics::gauge!(format!("{}_queue_depth", name.replace('-', "_")));
        Ok(Self {
            jobs,
            queue: Arc::new(Queue {
                limits,
                waiting: AtomicUsize::new(0),
                depth,
            }),
        })
    }

    /// Runs `job` on the next free thread and waits for its result without blocking the
    /// caller's async worker; refused when the queue is full or the job cannot start in time.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&S) -> T + Send + 'static,
    ) -> Result<T, JobError> {
        let limits = self.queue.limits;
        let waiting = self.queue.waiting.fetch_add(1, Ordering::AcqRel) + 1;
        if waiting > limits.max_jobs {
            self.queue.left();
            return Err(refused(QueueRefusal::Full(limits.max_jobs)));
        }
        self.queue.depth.set(waiting as f64);
        let gate = StartGate::default();
        let (reply, mut result) = tokio::sync::oneshot::channel();
        let (queue, may_start) = (self.queue.clone(), gate.clone());
        self.jobs
            .send(Box::new(move |state| {
                queue.left();
                // A caller that stopped waiting while its job queued (its request went away,
                // or the wait ran out) needs no answer: the job is shed instead of run.
                if !may_start.start() || reply.is_closed() {
                    return;
                }
                let _ = reply.send(job(state));
            }))
            .map_err(|_| {
                self.queue.left();
                JobError::Stopped
            })?;
        // The reply is dropped unsent only when the job panicked.
        gate.answer(limits.max_wait, &mut result)
            .await
            .map_err(refused)?
            .map_err(|_| JobError::Stopped)
    }
}

fn refused(refusal: QueueRefusal) -> JobError {
    JobError::Refused(refusal.unavailable())
}

/// A thread's life: take the next job, run it, until every `JobThreads` clone is gone.
fn work<S>(state: &S, queue: &Mutex<Receiver<Job<S>>>) {
    loop {
        // The lock is held only while waiting for a job, so the threads take turns at the
        // queue and run their jobs side by side.
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = next else {
            return;
        };
        // A panicking job drops its reply, which its caller reports as an error; the thread
        // goes on with the next job.
        let _ = catch_unwind(AssertUnwindSafe(|| job(state)));
    }
}

#[cfg(test)]
mod tests;
