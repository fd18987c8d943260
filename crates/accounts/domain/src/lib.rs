//! The accounts context's domain: who the users are, how they prove it, and the sessions
//! they log in to.

mod events;
mod login_throttle;
mod password;
mod refresh_token;
mod session;
mod user;

pub use events::UserEmailAddressChanged;
pub use login_throttle::{
    ACCOUNT_WINDOW, FailureRecord, LoginThrottle, MAX_BACKOFF, ThrottleRefusal, ThrottleRule,
    backoff,
};
pub use password::{Password, PasswordError, PasswordHash};
pub use refresh_token::RefreshTokenHash;
pub use session::{RefreshRefused, Session, StoredSession, USER_AGENT_MAX_CHARS};
pub use user::User;
