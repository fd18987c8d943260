//! The accounts context's domain: who the users are and how they prove it.

mod events;
mod password;
mod user;

pub use events::UserEmailAddressChanged;
pub use password::{Password, PasswordError, PasswordHash};
pub use user::User;
