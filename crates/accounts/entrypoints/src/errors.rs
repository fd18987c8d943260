//! Each use case's errors, mapped once to problem details. A 500 only ever comes from an
//! infrastructure or wiring failure, and `Problem::failure` logs its whole chain.

use accounts_application::commands::{
    ChangePasswordError, ChangeUserEmailAddressError, EndOtherSessionsError, EndSessionError,
    LogInError, RefreshSessionError, RegisterUserError, RevokeTokenError,
};
use accounts_domain::{ThrottleRefusal, ThrottleRule};
use actix_web::http::StatusCode;
use shared_kernel_entrypoints::{Problem, RateLimited};

const EMAIL_TAKEN: &str = "the email address is already taken";

pub trait IntoProblem {
    fn into_problem(self) -> Problem;
}

impl IntoProblem for RegisterUserError {
    fn into_problem(self) -> Problem {
        match self {
            Self::InvalidInput(invalid) => invalid.into(),
            Self::EmailTaken => Problem::conflict("email_taken", EMAIL_TAKEN),
            Self::Infrastructure(_) | Self::Bus(_) => Problem::failure(&self),
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
            Self::Infrastructure(_) | Self::Bus(_) => Problem::failure(&self),
        }
    }
}

impl IntoProblem for LogInError {
    fn into_problem(self) -> Problem {
        match self {
            Self::InvalidCredentials => {
                Problem::unauthorized("invalid_credentials", "the email or the password is wrong")
                    .with_oauth_error("invalid_grant")
            }
            Self::Throttled(refusal) => throttled(refusal),
            Self::Infrastructure(_) | Self::Bus(_) => Problem::failure(&self),
        }
    }
}

/// The 429 of a login the brute-force limits refused before trying it.
fn throttled(refusal: ThrottleRefusal) -> Problem {
    let (policy, window_seconds) = match refusal.rule {
        ThrottleRule::ConsecutiveFailures => ("login-failures", None),
        ThrottleRule::FailuresPerHour => ("account-failures", Some(3600)),
    };
    Problem::too_many_requests(
        "too many failed logins for this account: wait before trying again",
        RateLimited {
            policy,
            quota: refusal.limit,
            window_seconds,
            retry_after: refusal.retry_after.to_std().unwrap_or_default(),
        },
    )
}

impl IntoProblem for RefreshSessionError {
    fn into_problem(self) -> Problem {
        let refused = || {
            Problem::unauthorized(
                "invalid_refresh_token",
                "the refresh token is unknown, already used, expired or revoked: log in again",
            )
            .with_oauth_error("invalid_grant")
        };
        match self {
            Self::InvalidGrant => refused(),
            // Someone else holds the session's tokens: the operator should hear of it.
            Self::Reused {
                user_id,
                session_id,
            } => {
                tracing::warn!(%user_id, %session_id, "{self}");
                refused()
            }
            Self::Infrastructure(_) | Self::Bus(_) => Problem::failure(&self),
        }
    }
}

impl IntoProblem for EndSessionError {
    fn into_problem(self) -> Problem {
        match self {
            Self::SessionNotFound => Problem::new(
                StatusCode::NOT_FOUND,
                "session_not_found",
                "there is no such session",
            ),
            Self::Infrastructure(_) | Self::Bus(_) => Problem::failure(&self),
        }
    }
}

impl IntoProblem for EndOtherSessionsError {
    fn into_problem(self) -> Problem {
        Problem::failure(&self)
    }
}

impl IntoProblem for RevokeTokenError {
    fn into_problem(self) -> Problem {
        Problem::failure(&self)
    }
}

impl IntoProblem for ChangePasswordError {
    fn into_problem(self) -> Problem {
        match self {
            Self::InvalidInput(invalid) => invalid.into(),
            Self::WrongPassword => Problem::new(
                StatusCode::FORBIDDEN,
                "wrong_password",
                "the current password is wrong",
            ),
            Self::Throttled(refusal) => throttled(refusal),
            Self::UserNotFound => {
                Problem::unauthorized("invalid_token", "the user no longer exists")
            }
            Self::Infrastructure(_) | Self::Bus(_) => Problem::failure(&self),
        }
    }
}
