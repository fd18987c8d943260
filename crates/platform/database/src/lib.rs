//! How the platform reaches the database, SQLite or PostgreSQL: the connections a process
//! opens, where the read sides' queries run and where transactions that write begin (on a
//! SQLite file threads of our own with rusqlite connections, on PostgreSQL two tokio-postgres
//! pools, otherwise sea-orm's pool), and the one bridge that reads those drivers' rows into
//! sea-orm's models (ADR 0013, 0014, 0015, 0025).
//!
//! Contexts' infrastructure crates build their statements with sea-orm, run them through
//! `ReadConnection` and `WriteTransaction`, and derive `DatabaseRow` beside sea-orm's own
//! derives; none of them names a driver.

// The derive names this crate by its path, from here too (in the tests).
extern crate self as platform_database;

mod changed_columns;
mod connect;
mod database_row;
mod pool_connections;
mod postgres;
mod postgres_tls;
mod postgres_url;
mod read_connection;
mod sqlite;
mod unavailability;
mod write_connection;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use changed_columns::changed_columns;
pub use connect::{
    ConnectError, Database, DatabaseOptions, begin_write, connect_pool, rows_per_insert,
};
pub use database_row::{DatabaseRow, MissingColumn, derive_support};
pub use pool_connections::PoolConnections;
pub use postgres::{
    PostgresError, PostgresReaders, PostgresTransaction, PostgresWriters, UnsupportedPostgresValue,
};
pub use postgres_tls::PostgresTlsError;
pub use postgres_url::InvalidPostgresUrl;
pub use read_connection::ReadConnection;
pub use sqlite::{
    OpenReadersError, OpenWriterError, SqliteColumn, SqliteReaderThreads, SqliteTransaction,
    SqliteWriterThread, UnsupportedValue,
};
pub use write_connection::{WriteConnection, WriteError, WriteTransaction};
