//! The application side of the transactional outbox: what a stored event is, how its
//! delivery is retried, and the inbox that makes redelivery harmless.
//!
//! A Unit of Work writes every recorded event to the outbox in its own transaction. The
//! events are then delivered twice over: at once after the commit, and by the relay for
//! anything that first delivery missed. Delivery is therefore at least once; each handler's
//! `Inbox` turns that into exactly one effect.

mod delivery;
mod inbox;
mod relay;
mod retry_policy;
mod store;

pub use delivery::{DeliveryReport, EventDelivery, FailedDelivery};
pub use inbox::Inbox;
pub use relay::OutboxRelay;
pub use retry_policy::{AfterFailure, RetryPolicy};
pub use store::{OutboxStore, PendingEvent, Settlement};

#[cfg(test)]
mod tests;
