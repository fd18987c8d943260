//! PostgreSQL on tokio-postgres (issue #19): the read sides' pool and the writers' pool, whose
//! connections each keep their prepared statements. sqlx did about half of what tokio-postgres
//! does on the same query, and writes went at 0.6 of a bare route's speed. The SQL is built by
//! sea-orm, its values are bound by sea-query-postgres, declared as sqlx declares them, and its
//! rows are read into sea-orm's models through `DatabaseRow` (ADR 0015), as on SQLite's
//! threads: nothing here is written per entity.

mod error;
mod pool;
mod readers;
mod statements;
mod transaction;
mod values;
mod writers;

pub use error::PostgresError;
pub use readers::PostgresReaders;
pub use transaction::PostgresTransaction;
pub use values::UnsupportedValue as UnsupportedPostgresValue;
pub use writers::PostgresWriters;
