//! Adapters every context shares: how to connect to the database (SQLite or PostgreSQL), the
//! transaction a Unit of Work hands to each of its repositories, the event outbox and inbox
//! behind it, and the system clock.

mod clock;
mod database;
mod event_schemas;
pub mod outbox;
mod transaction;

#[cfg(feature = "testing")]
pub mod testing;

pub use clock::SystemClock;
pub use database::{DatabaseOptions, Databases, connect, connect_pools, rows_per_insert};
pub use event_schemas::register_event_schemas;
pub use transaction::{TransactionParticipant, TransactionScope, begin_write};
