//! The shared kernel's domain: the building blocks and value objects that every bounded
//! context agrees on. The events one context lets others hear are not here: each context
//! publishes them from a contracts crate of its own (`crates/<context>/contracts`, ADR 0016).
//!
//! Plain Rust only: no database, no web framework, no async runtime.

mod aggregate;
mod clock;
mod email_address;
mod user_id;
mod uuid_id;

pub use aggregate::{AggregateRoot, DomainEvent, DomainEvents, EventRef};
pub use clock::{Clock, FixedClock};
pub use email_address::{EmailAddress, EmailAddressError};
pub use user_id::{UserId, UserIdError};
#[doc(hidden)]
pub use uuid_id::__private;
