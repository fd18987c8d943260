//! The shared kernel's domain: the building blocks and value objects that every bounded
//! context agrees on, and the events that form the contract between contexts.
//!
//! Plain Rust only: no database, no web framework, no async runtime.

mod aggregate;
mod clock;
mod email_address;
mod events;
mod user_id;

pub use aggregate::{AggregateRoot, DomainEvent, DomainEvents, EventRef};
pub use clock::{Clock, FixedClock};
pub use email_address::{EmailAddress, EmailAddressError};
pub use events::UserAccountCreated;
pub use user_id::{UserId, UserIdError};
