//! The accounts context's application layer: use cases that go through the `User` and
//! `Session` aggregates and a Unit of Work, read-side queries, reactions to events, and the
//! ports the infrastructure implements.

mod authentication;
mod bootstrap;
pub mod commands;
mod event_handlers;
mod known_callers;
pub mod ports;

#[cfg(test)]
mod testing;

pub use authentication::TokenAuthenticator;
pub use bootstrap::{AccountsPorts, register};
pub use event_handlers::{ForgetEndedSession, SendWelcomeEmail};
pub use known_callers::{Caller, KnownCallers};
