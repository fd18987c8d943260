//! The accounts context's published language: the events other contexts may hear. Another
//! context may depend on this crate and on nothing else of accounts; this crate depends on
//! nothing of the workspace but the shared kernel's domain (ADR 0016).
//!
//! The stored shape of these events is not a contract of this crate: it stays in
//! `accounts-infrastructure`, beside the context's other mappers.

mod session_ended;
mod session_id;
mod session_started;
mod user_account_created;

pub use session_ended::{SessionEndReason, SessionEnded};
pub use session_id::SessionId;
pub use session_started::SessionStarted;
pub use user_account_created::UserAccountCreated;
