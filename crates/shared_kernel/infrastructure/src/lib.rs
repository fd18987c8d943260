//! Adapters every context shares: how to connect to the database (SQLite or PostgreSQL) and
//! where the read sides' queries run, the transaction a Unit of Work hands to each of its repositories, the event outbox and inbox
//! behind it, and the system clock.

mod clock;
mod database;
mod event_schemas;
mod job_threads;
pub mod outbox;
mod read_connection;
mod sqlite;
mod transaction;
mod write_transaction;

#[cfg(feature = "testing")]
pub mod testing;

pub use clock::SystemClock;
pub use database::{
    ConnectError, DatabaseOptions, Databases, connect, connect_pools, rows_per_insert,
};
pub use event_schemas::register_event_schemas;
pub use job_threads::{JobThreads, JobThreadsStopped};
pub use read_connection::{ReadConnection, ReadRow};
pub use sqlite::dates as sqlite_dates;
pub use sqlite::readers::{OpenReadersError, SqliteReaders};
pub use sqlite::writer::{OpenWriterError, SqliteTransaction, SqliteWriter};
pub use transaction::{TransactionParticipant, TransactionScope, begin_write};
pub use write_transaction::{WriteError, WriteTransaction, Writer};
