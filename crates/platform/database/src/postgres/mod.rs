//! PostgreSQL's read side on tokio-postgres, with a pool of connections that each keep their
//! prepared statements (issue #19): sqlx did about half of what tokio-postgres does on the same
//! query. The SQL is built by sea-orm, its values are bound by sea-query-postgres, as sqlx declares
//! them, and its rows
//! are read into sea-orm's models through `DatabaseRow` (ADR 0015), as on SQLite's readers:
//! nothing here is written per entity. The writes stay on sea-orm's pool.

mod pool;
mod read_error;
mod readers;
mod values;

pub use read_error::PostgresReadError;
pub use readers::PostgresReaders;
pub use values::UnsupportedValue as UnsupportedPostgresValue;
