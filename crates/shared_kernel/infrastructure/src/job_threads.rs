//! A few threads of our own that run blocking jobs handed to them from async code: the SQLite
//! readers (each thread owns a connection) and the password hashing threads (each at the
//! lowest priority).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};

type Job<S> = Box<dyn FnOnce(&S) + Send>;

/// Threads that take jobs from one shared queue, each with a state of its own that its jobs
/// use (`()` for none). Cloning shares the threads; they stop, and drop their states, when
/// the last clone is dropped.
pub struct JobThreads<S> {
    jobs: Sender<Job<S>>,
}

impl<S> Clone for JobThreads<S> {
    fn clone(&self) -> Self {
        Self {
            jobs: self.jobs.clone(),
        }
    }
}

/// A job's thread stopped before it answered: the job panicked, or the threads are gone.
#[derive(Debug, thiserror::Error)]
#[error("the thread stopped before it answered (its job panicked, or the threads are gone)")]
pub struct JobThreadsStopped;

impl<S: Send + 'static> JobThreads<S> {
    /// Starts one thread per state, named `{name}-{index}`, each running `on_start` first.
    pub fn start(name: &str, states: Vec<S>, on_start: fn()) -> std::io::Result<Self> {
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
        Ok(Self { jobs })
    }

    /// Runs `job` on the next free thread and waits for its result without blocking the
    /// caller's async worker.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&S) -> T + Send + 'static,
    ) -> Result<T, JobThreadsStopped> {
        let (reply, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move |state| {
                // A caller that stopped waiting while its job queued (its request went away)
                // needs no answer, and a long queue sheds the job instead of running it.
                if reply.is_closed() {
                    return;
                }
                let _ = reply.send(job(state));
            }))
            .map_err(|_| JobThreadsStopped)?;
        // The reply is dropped unsent only when the job panicked.
        result.await.map_err(|_| JobThreadsStopped)
    }
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
