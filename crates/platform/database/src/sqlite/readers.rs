//! SQLite reads on threads of their own, each with a connection of its own (ADR 0013).
//!
//! A query is one hand-off: the caller queues a job, a reader thread runs it start to finish
//! on its connection and sends the result back once. Under load the readers never sleep
//! between jobs, so the hand-off is almost free; the async workers never block on SQLite.

use std::fmt;
use std::num::NonZeroUsize;
use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use sea_orm::Statement;
use shared_kernel_application::InfrastructureError;
use shared_kernel_infrastructure::{JobThreads, QueueLimits};

use super::SqliteStatement;
use crate::DatabaseRow;
use crate::unavailability::sqlite_read_error;

/// Each connection keeps this many prepared statements, least recently used out first. The
/// read sides have about 17 shapes of query, and with the `LIMIT` written in (see
/// `with_literal_limit`) each page size asked for is a statement of its own: room for the
/// common sizes of every shape.
const PREPARED_STATEMENTS_PER_CONNECTION: usize = 64;

/// Each reader's page cache, instead of SQLite's 2 MiB. The pages a read side revisits (the
/// indexes' upper levels) fit; the leaf pages of a large database mostly do not fit either
/// way, and the kernel's page cache serves them for a `pread` each. With 2 readers on the
/// large benchmark database this saved 6 MiB of peak RSS at the same throughput
/// (docs/benchmarks.md).
const READER_PAGE_CACHE_KIB: i64 = 512;

/// A fixed set of reader threads over one SQLite file. Cloning shares them; they stop, and
/// close their connections, when the last clone is dropped.
#[derive(Clone)]
pub struct SqliteReaderThreads {
    threads: JobThreads<Connection>,
    count: NonZeroUsize,
}

impl fmt::Debug for SqliteReaderThreads {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteReaderThreads")
            .field("count", &self.count)
            .finish_non_exhaustive()
    }
}

impl SqliteReaderThreads {
    /// Opens `count` connections to the SQLite file at `path`, which must exist, and starts
    /// a thread for each, whose queue `limits` bound. The connections are `query_only`: a
    /// read side cannot write.
    pub fn open(
        path: &Path,
        count: NonZeroUsize,
        busy_timeout: Duration,
        limits: QueueLimits,
    ) -> Result<Self, OpenReadersError> {
        let connections = (0..count.get())
            .map(|_| open_connection(path, busy_timeout))
            .collect::<Result<Vec<_>, _>>()?;
        let threads = JobThreads::start("sqlite-reader", connections, || {}, limits)?;
        Ok(Self { threads, count })
    }

    /// Runs `statement` (built for SQLite) on a reader and reads each row as an `R`.
    pub(crate) async fn all<R: DatabaseRow + Send + 'static>(
        &self,
        during: &'static str,
        statement: Statement,
    ) -> Result<Vec<R>, InfrastructureError> {
        let statement =
            SqliteStatement::new(statement).map_err(InfrastructureError::during(during))?;
        self.run(during, move |connection| statement.rows(connection))
            .await
    }

    /// Runs `job` on the next free reader and waits for its result. rusqlite resets a
    /// statement that a panicking job leaves behind as it unwinds.
    async fn run<T, F>(&self, during: &'static str, job: F) -> Result<T, InfrastructureError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    {
        self.threads
            .run(job)
            .await
            .map_err(InfrastructureError::during(during))?
            .map_err(|error| sqlite_read_error(during, error))
    }
}

/// Why the readers could not start.
#[derive(Debug, thiserror::Error)]
pub enum OpenReadersError {
    #[error("could not open a SQLite reader connection")]
    Connection(#[from] rusqlite::Error),
    #[error("could not start a SQLite reader thread")]
    Thread(#[from] std::io::Error),
}

fn open_connection(path: &Path, busy_timeout: Duration) -> Result<Connection, rusqlite::Error> {
    let connection =
        super::open_connection(path, busy_timeout, PREPARED_STATEMENTS_PER_CONNECTION)?;
    connection.pragma_update(None, "query_only", true)?;
    // A negative size is in KiB.
    connection.pragma_update(None, "cache_size", -READER_PAGE_CACHE_KIB)?;
    Ok(connection)
}

#[cfg(test)]
mod tests;
