//! Each use case's errors, mapped once to problem details. A 500 only ever comes from an
//! infrastructure or wiring failure, and `Problem::internal` logs its whole chain.

use accounts_application::commands::{ChangeUserEmailAddressError, LogInError, RegisterUserError};
use shared_kernel_entrypoints::Problem;

const EMAIL_TAKEN: &str = "the email address is already taken";

pub trait IntoProblem {
    fn into_problem(self) -> Problem;
}

impl IntoProblem for RegisterUserError {
    fn into_problem(self) -> Problem {
        match self {
            Self::InvalidInput(invalid) => invalid.into(),
            Self::EmailTaken => Problem::conflict("email_taken", EMAIL_TAKEN),
            Self::Infrastructure(_) | Self::Bus(_) => Problem::internal(&self),
        }
    }
}

impl IntoProblem for ChangeUserEmailAddressError {
    fn into_problem(self) -> Problem {
        match self {
            Self::InvalidInput(invalid) => invalid.into(),
            Self::EmailTaken => Problem::conflict("email_taken", EMAIL_TAKEN),
            // The token was valid a moment ago but its user is gone: no longer authenticated.
            Self::UserNotFound => {
                Problem::unauthorized("invalid_token", "the user no longer exists")
            }
            Self::Infrastructure(_) | Self::Bus(_) => Problem::internal(&self),
        }
    }
}

impl IntoProblem for LogInError {
    fn into_problem(self) -> Problem {
        match self {
            Self::InvalidCredentials => {
                Problem::unauthorized("invalid_credentials", "the email or the password is wrong")
            }
            Self::Infrastructure(_) | Self::Bus(_) => Problem::internal(&self),
        }
    }
}
