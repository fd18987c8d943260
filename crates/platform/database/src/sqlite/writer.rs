//! SQLite's one write connection, on a thread of its own that also runs the command handlers
//! (ADR 0014).
//!
//! Through sqlx, each statement of a Unit of Work went to the connection's worker thread and
//! its answer came back: seven hand-offs for a task's creation, during which the write lock
//! was held and the cores sat half idle (docs/benchmarks.md). Here the connection lives on
//! the writer's thread, and the bus runs command handlers there too (`OnWriterThread`): a Unit
//! of Work runs its statements on the spot, and a command costs two hand-offs, there and
//! back. Code on any other thread (the outbox relay, tests, tools) still works: each of its
//! statements is a job sent to the writer's thread.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use shared_kernel_infrastructure::{QueueLimits, QueueRefusal, RequestId, StartGate};
use tokio::sync::{Mutex, OwnedMutexGuard, mpsc, oneshot};
use tracing::Instrument;

use super::SqliteStatement;
use crate::DatabaseRow;
use crate::write_connection::WriteError;

/// Prepared statements kept on the write connection: the write side has about twenty shapes.
const PREPARED_STATEMENTS: usize = 64;

thread_local! {
    /// The writer's connection, set on the writer's thread only.
    static CONNECTION: RefCell<Option<Connection>> = const { RefCell::new(None) };
}

type Call = Box<dyn FnOnce(&Connection) + Send>;
type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// What the writer's thread is asked to do.
enum Job {
    /// Run statements on the connection, for a transaction held on another thread.
    Call(Call),
    /// Run a command handler (or anything else async) on the writer's thread.
    Task(Task),
}

/// The writer's thread, which owns SQLite's one write connection. Cloning shares it; the
/// thread stops, and closes the connection, when the last clone is dropped and the tasks it
/// runs have ended.
#[derive(Clone)]
pub struct SqliteWriterThread {
    shared: Arc<Shared>,
}

struct Shared {
    jobs: mpsc::UnboundedSender<Job>,
    thread: ThreadId,
    /// Held from `BEGIN` to `COMMIT` or `ROLLBACK`: one transaction at a time, first come,
    /// first served, as a pool of one connection would have it.
    turn: Arc<Mutex<()>>,
    /// How many command handlers may wait for the writer, and how long for their turn.
    limits: QueueLimits,
    /// Command handlers sent to the writer's thread that have not ended yet.
    tasks: AtomicUsize,
    /// `sqlite_writer_queue_depth`: those tasks, as a gauge.
    depth: metrics::Gauge,
    /// `sqlite_writer_transaction_seconds`: how long each transaction holds the write lock.
    transaction_time: metrics::Histogram,
}

impl Shared {
    fn task_ended(&self) {
        let tasks = self.tasks.fetch_sub(1, Ordering::AcqRel) - 1;
        self.depth.set(tasks as f64);
    }
}

/// Counts a task as ended when it is dropped: finished, panicked or never run.
struct TaskInFlight(Arc<Shared>);

impl Drop for TaskInFlight {
    fn drop(&mut self) {
        self.0.task_ended();
    }
}

impl fmt::Debug for SqliteWriterThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteWriterThread").finish_non_exhaustive()
    }
}

/// Why the writer could not start.
#[derive(Debug, thiserror::Error)]
pub enum OpenWriterError {
    #[error("could not open the SQLite write connection")]
    Connection(#[from] rusqlite::Error),
    #[error("could not start the SQLite writer's thread")]
    Thread(#[from] std::io::Error),
}

impl SqliteWriterThread {
    /// Opens the write connection to the SQLite file at `path`, which must exist and be in
    /// WAL mode (`connect` sets it), and starts the writer's thread, whose queue of command
    /// handlers `limits` bound.
    pub fn open(
        path: &Path,
        busy_timeout: Duration,
        limits: QueueLimits,
    ) -> Result<Self, OpenWriterError> {
        let connection = open_connection(path, busy_timeout)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (jobs, queue) = mpsc::unbounded_channel();
        let thread = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || serve(connection, runtime, queue))?;
        Ok(Self {
            shared: Arc::new(Shared {
                jobs,
                thread: thread.thread().id(),
                turn: Arc::default(),
                limits,
                tasks: AtomicUsize::new(0),
                depth: metrics::gauge!("sqlite_writer_queue_depth"),
                transaction_time: metrics::histogram!("sqlite_writer_transaction_seconds"),
            }),
        })
    }

    /// Runs `task` on the writer's thread (at once if already there) and returns its output.
    ///
    /// The task runs to its end even if the caller stops waiting (a client that disconnects
    /// does not cut a command short), and inside the caller's tracing span, so that what it
    /// logs carries the request's id. It is refused (`WriteError::Unavailable`) when
    /// `QueueLimits::max_jobs` tasks are in flight already.
    pub async fn run<T: Send + 'static>(
        &self,
        task: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, WriteError> {
        if self.is_current_thread() {
            return Ok(task.await);
        }
        let tasks = self.shared.tasks.fetch_add(1, Ordering::AcqRel) + 1;
        let in_flight = TaskInFlight(self.shared.clone());
        if tasks > self.shared.limits.max_jobs {
            return Err(QueueRefusal::Full(self.shared.limits.max_jobs).into());
        }
        self.shared.depth.set(tasks as f64);
        // The task runs as work for the caller's request: its span, and its id (which the
        // events it records carry).
        let task =
            RequestId::scope(RequestId::current(), task).instrument(tracing::Span::current());
        let (reply, mut result) = oneshot::channel();
        let gate = StartGate::default();
        let may_start = gate.clone();
        self.shared
            .jobs
            .send(Job::Task(Box::pin(async move {
                let _in_flight = in_flight;
                // A task its caller gave up on before it started is shed, not run.
                if may_start.start() {
                    let _ = reply.send(task.await);
                }
            })))
            .map_err(|_| WriteError::WriterStopped)?;
        // The wait counts from here: the writer's thread may be stuck in SQLite's busy
        // handler, and then it starts nothing (nor any timer of its own) until that ends.
        let answer = gate
            .answer(self.shared.limits.max_wait, &mut result)
            .await?;
        // The reply is dropped unsent only when the task panicked.
        answer.map_err(|_| WriteError::WriterStopped)
    }

    /// Begins a transaction (`BEGIN IMMEDIATE`) once the one before it has ended; refused
    /// (`WriteError::Unavailable`) when that takes longer than `QueueLimits::max_wait`.
    pub async fn begin(&self) -> Result<SqliteTransaction, WriteError> {
        let max_wait = self.shared.limits.max_wait;
        let turn = tokio::time::timeout(max_wait, self.shared.turn.clone().lock_owned())
            .await
            .map_err(|_| QueueRefusal::WaitedTooLong(max_wait))?;
        let began = Instant::now();
        self.call(|connection| run_cached(connection, "BEGIN IMMEDIATE"))
            .await??;
        Ok(SqliteTransaction {
            writer: self.clone(),
            turn: Some(turn),
            began,
        })
    }

    fn is_current_thread(&self) -> bool {
        std::thread::current().id() == self.shared.thread
    }

    /// Runs `job` on the connection: on the spot on the writer's thread, otherwise as a job
    /// sent there. Only the holder of the turn calls it.
    async fn call<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Connection) -> T + Send + 'static,
    ) -> Result<T, WriteError> {
        if self.is_current_thread() {
            return on_connection(job).ok_or(WriteError::WriterStopped);
        }
        let (reply, result) = oneshot::channel();
        self.shared
            .jobs
            .send(Job::Call(Box::new(move |connection| {
                let _ = reply.send(job(connection));
            })))
            .map_err(|_| WriteError::WriterStopped)?;
        result.await.map_err(|_| WriteError::WriterStopped)
    }
}

/// A transaction on the writer's connection. It holds the writer's turn until it commits, or
/// until it is dropped, which rolls it back.
pub struct SqliteTransaction {
    writer: SqliteWriterThread,
    turn: Option<OwnedMutexGuard<()>>,
    began: Instant,
}

impl SqliteTransaction {
    /// Runs `statement` as a query and reads each row as an `R`.
    pub(crate) async fn rows<R: DatabaseRow + Send + 'static>(
        &self,
        statement: SqliteStatement,
    ) -> Result<Vec<R>, WriteError> {
        Ok(self
            .writer
            .call(move |connection| statement.rows(connection))
            .await??)
    }

    /// Runs `statement` and returns how many rows it changed.
    pub(crate) async fn execute(&self, statement: SqliteStatement) -> Result<u64, WriteError> {
        Ok(self
            .writer
            .call(move |connection| statement.execute(connection))
            .await??)
    }

    pub async fn commit(mut self) -> Result<(), WriteError> {
        self.writer
            .call(|connection| run_cached(connection, "COMMIT"))
            .await??;
        // Committed: the turn passes on, and `drop` has nothing to roll back.
        self.turn = None;
        self.record_time();
        Ok(())
    }
}

impl SqliteTransaction {
    fn record_time(&self) {
        let held = self.began.elapsed();
        self.writer
            .shared
            .transaction_time
            .record(held.as_secs_f64());
    }
}

impl Drop for SqliteTransaction {
    /// Rolls back a transaction that did not commit, then passes the turn on. Off the
    /// writer's thread the rollback is a job of its own, which keeps the turn until it has
    /// run, so that the next transaction cannot begin inside this one.
    fn drop(&mut self) {
        let Some(turn) = self.turn.take() else {
            return;
        };
        self.record_time();
        let rollback = move |connection: &Connection| {
            // Fails only when SQLite already rolled back (after some I/O errors): nothing to do.
            let _ = connection.execute_batch("ROLLBACK");
            drop(turn);
        };
        if self.writer.is_current_thread() {
            on_connection(rollback);
        } else {
            // If the writer has stopped, the job (and the turn with it) is dropped here.
            let _ = self.writer.shared.jobs.send(Job::Call(Box::new(rollback)));
        }
    }
}

/// The writer's thread: it runs the calls it receives on its connection and spawns the tasks
/// it receives on its own single-threaded runtime, until every handle is gone.
fn serve(
    connection: Connection,
    runtime: tokio::runtime::Runtime,
    mut queue: mpsc::UnboundedReceiver<Job>,
) {
    CONNECTION.set(Some(connection));
    runtime.block_on(async move {
        while let Some(job) = queue.recv().await {
            match job {
                // A panicking call drops its reply, which its caller reports as an error.
                Job::Call(call) => {
                    let _ = catch_unwind(AssertUnwindSafe(|| on_connection(call)));
                }
                // A panicking task is caught by the runtime, and its reply dropped likewise.
                Job::Task(task) => drop(tokio::spawn(task)),
            }
        }
    });
    drop(runtime);
    drop(CONNECTION.take());
}

/// Runs `job` on this thread's connection; `None` off the writer's thread.
fn on_connection<T>(job: impl FnOnce(&Connection) -> T) -> Option<T> {
    CONNECTION.with_borrow(|connection| connection.as_ref().map(job))
}

fn run_cached(connection: &Connection, sql: &str) -> rusqlite::Result<()> {
    connection.prepare_cached(sql)?.execute([])?;
    Ok(())
}

/// The settings sqlx gives its SQLite connections (`connect`): write-ahead logging is a
/// property of the file, but synchronous mode and foreign keys belong to each connection.
fn open_connection(path: &Path, busy_timeout: Duration) -> Result<Connection, rusqlite::Error> {
    let connection = super::open_connection(path, busy_timeout, PREPARED_STATEMENTS)?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", true)?;
    Ok(connection)
}

#[cfg(test)]
mod tests;
