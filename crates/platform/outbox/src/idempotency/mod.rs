//! The idempotency keys (`idempotency_keys`), for the shared kernel's `IdempotentRequests`:
//! the store that claims, keeps and releases keys in short transactions of its own, and the
//! answers a Unit of Work records in its transaction, next to the command's writes. Like the
//! inbox, whose events they are the requests' counterpart of, they live with the transaction
//! scope, and the retention purge deletes them once expired (docs/operations.md).

mod answers;
mod entity;
mod key_store;
mod rows;

pub use answers::SeaOrmIdempotentAnswers;
pub use key_store::{IdempotencySettings, SeaOrmIdempotencyKeys};

pub(crate) use entity::{Column as KeyColumn, Entity as KeyEntity};
