//! The transactional outbox: every recorded event is written in the transaction that
//! recorded it, delivered right after the commit, and relayed later if that delivery
//! crashed or failed. Handlers make redelivery harmless with the inbox. docs/events.md
//! describes the tables and the guarantees.

mod admin;
mod codecs;
mod entities;
mod inbox;
mod relay_task;
mod store;
mod writer;

pub use admin::{OutboxAdmin, OutboxEntry, OutboxFilter};
pub use codecs::{CodecError, EncodedEvent, EventCodecs, EventSchema};
pub use inbox::SeaOrmInbox;
pub use relay_task::{RelayTask, log_delivery};
pub use store::SeaOrmOutboxStore;
pub use writer::Outbox;
