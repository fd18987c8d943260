//! The transactional outbox and everything built on it: the transaction a Unit of Work
//! commits its events with, the outbox that writes them there and delivers them after the
//! commit, the relay for whatever that delivery missed, the inbox that makes redelivery
//! harmless, the idempotency keys that make a retried request harmless, the purge of what
//! the retention no longer keeps (and of expired keys), the stored shape of events, and
//! `Platform`, what every context's adapters are built on. docs/events.md describes the
//! tables and the guarantees; ADR 0015 the crates.

mod admin;
mod codecs;
pub mod delivery;
mod entities;
mod idempotency;
mod inbox;
mod outbox;
mod platform;
mod purge_task;
mod relay_task;
mod retention;
mod store;
mod transaction_scope;

#[cfg(feature = "testing")]
pub mod testing;

pub use admin::{OutboxAdmin, OutboxBacklog, OutboxEntry, OutboxFilter};
pub use codecs::EventSchema;
pub use idempotency::{IdempotencySettings, SeaOrmIdempotencyKeys, SeaOrmIdempotentAnswers};
pub use inbox::SeaOrmInbox;
pub use outbox::Outbox;
pub use platform::{OutboxSettings, Platform};
pub use purge_task::PurgeTask;
pub use relay_task::{RelayTask, log_delivery};
pub use retention::{OutboxPurger, PurgeReport, PurgeSchedule, PurgedTable};
pub use store::SeaOrmOutboxStore;
pub use transaction_scope::{TransactionParticipant, TransactionScope};
