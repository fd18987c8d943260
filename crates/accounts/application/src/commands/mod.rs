//! Everything a client asks the accounts context to do. Each command has exactly one handler
//! and goes through the message bus.

mod change_email_address;
mod change_password;
mod end_other_sessions;
mod end_session;
mod log_in;
mod refresh_session;
mod register_user;
mod revoke_token;
mod session_tokens;

pub use change_email_address::{
    ChangeUserEmailAddress, ChangeUserEmailAddressError, ChangeUserEmailAddressHandler,
};
pub use change_password::{ChangePassword, ChangePasswordError, ChangePasswordHandler};
pub use end_other_sessions::{EndOtherSessions, EndOtherSessionsError, EndOtherSessionsHandler};
pub use end_session::{EndSession, EndSessionError, EndSessionHandler};
pub use log_in::{LogIn, LogInError, LogInHandler};
pub use refresh_session::{RefreshSession, RefreshSessionError, RefreshSessionHandler};
pub use register_user::{RegisterUser, RegisterUserError, RegisterUserHandler};
pub use revoke_token::RevokeTokenHandler;
pub use revoke_token::{RevokeToken, RevokeTokenError, TokenTypeHint};
pub use session_tokens::SessionTokens;
