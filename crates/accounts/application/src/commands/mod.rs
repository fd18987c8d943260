//! Everything a client asks the accounts context to do. Each command has exactly one handler
//! and goes through the message bus.

mod change_email_address;
mod log_in;
mod register_user;

pub use change_email_address::{
    ChangeUserEmailAddress, ChangeUserEmailAddressError, ChangeUserEmailAddressHandler,
};
pub use log_in::{LogIn, LogInError, LogInHandler};
pub use register_user::{RegisterUser, RegisterUserError, RegisterUserHandler};
