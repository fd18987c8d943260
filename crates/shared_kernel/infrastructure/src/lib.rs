//! Adapters every context shares: how to connect to the database (SQLite or PostgreSQL), the
//! transaction a Unit of Work hands to each of its repositories, and the system clock.

mod clock;
mod database;
mod transaction;

#[cfg(feature = "testing")]
pub mod testing;

pub use clock::SystemClock;
pub use database::{DatabaseOptions, connect};
pub use transaction::{TransactionParticipant, TransactionScope};
