//! The accounts context's application layer: use cases that go through the `User` aggregate
//! and a Unit of Work, read-side queries, reactions to events, and the ports the
//! infrastructure implements.

mod authentication;
mod bootstrap;
pub mod commands;
mod event_handlers;
mod known_users;
pub mod ports;

#[cfg(test)]
mod testing;

pub use authentication::TokenAuthenticator;
pub use bootstrap::{AccountsPorts, register};
pub use event_handlers::SendWelcomeEmail;
pub use known_users::KnownUsers;
