//! SQLite through rusqlite, on threads of our own (ADR 0013 for reads, ADR 0014 for writes).
//!
//! sqlx runs every SQLite connection on a worker thread of its own and hands each statement
//! and each row across: several thread hand-offs per statement, which cost more than the
//! statement itself (docs/benchmarks.md). The readers and the writer instead run a whole job
//! on the thread that owns the connection. The SQL is built by sea-orm, and its rows are read
//! into sea-orm's models through `DatabaseRow`, which a derive writes (ADR 0015): nothing here
//! is written per entity.

mod columns;
mod readers;
mod statements;
mod values;
mod writer;

pub use columns::SqliteColumn;
pub use readers::{OpenReadersError, SqliteReaderThreads};
pub(crate) use statements::SqliteStatement;
pub use values::UnsupportedValue;
pub use writer::{OpenWriterError, SqliteTransaction, SqliteWriterThread};

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// Opens a connection to the existing SQLite file at `path` for one thread of ours: it waits
/// up to `busy_timeout` for a lock (a reader may wait for a checkpoint or a recovery to end,
/// the writer for another process), and keeps `prepared_statements` statements ready.
fn open_connection(
    path: &Path,
    busy_timeout: Duration,
    prepared_statements: usize,
) -> rusqlite::Result<Connection> {
    // Each connection stays on the thread that owns it: SQLite's own mutexes are not needed.
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(busy_timeout)?;
    connection.set_prepared_statement_cache_capacity(prepared_statements);
    Ok(connection)
}
