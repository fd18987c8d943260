//! Delivering what the outbox holds, independent of any database: what a stored event is, how
//! its delivery is recorded and retried, and the relay's one step.
//!
//! A Unit of Work writes every recorded event to the outbox in its own transaction. The
//! events are then delivered twice over: at once after the commit, and by the relay for
//! anything that first delivery missed. Delivery is therefore at least once; each handler's
//! `Inbox` turns that into exactly one effect. The tests here run against an in-memory store
//! and a fake clock.

mod event_delivery;
mod relay;
mod retry_policy;
mod settlement_offer;
mod store;

pub use event_delivery::{DeliveryReport, EventDelivery, FailedDelivery};
pub use relay::OutboxRelay;
pub use retry_policy::{AfterFailure, RetryPolicy};
pub use settlement_offer::SettlementOffer;
pub use store::{OutboxStore, PendingEvent, Settlement};

#[cfg(test)]
mod tests;
