use std::sync::Arc;

use accounts_domain::Password;
use async_trait::async_trait;
use shared_kernel_application::{BusError, Command, CommandHandler, InfrastructureError};
use shared_kernel_domain::EmailAddress;

use crate::ports::{AccessToken, PasswordHasher, TokenIssuer, UserQueries};

/// Exchanges an email and a password for an access token.
#[derive(Debug)]
pub struct LogIn {
    pub email: String,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LogInError {
    /// One answer for an unknown email and a wrong password, so that nobody can learn which
    /// addresses are registered.
    #[error("the email or the password is wrong")]
    InvalidCredentials,
    #[error("logging in failed")]
    Infrastructure(#[from] InfrastructureError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl Command for LogIn {
    type Output = AccessToken;
    type Error = LogInError;
}

pub struct LogInHandler {
    pub queries: Arc<dyn UserQueries>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub tokens: Arc<dyn TokenIssuer>,
}

#[async_trait]
impl CommandHandler<LogIn> for LogInHandler {
    async fn handle(&self, command: LogIn) -> Result<AccessToken, LogInError> {
        let credentials = match EmailAddress::parse(&command.email) {
            Ok(email) => self.queries.find_credentials(&email).await?,
            Err(_) => None,
        };
        // No stored password is longer than bcrypt's 72 bytes, and bcrypt would compare only
        // the first 72 bytes of a longer one: such a candidate can never be right.
        let fits_bcrypt = command.password.len() <= Password::MAX_BYTES;

        match credentials {
            Some(credentials) if fits_bcrypt => {
                if self
                    .hasher
                    .verify(&command.password, &credentials.password_hash)
                    .await?
                {
                    Ok(self.tokens.issue(credentials.id)?)
                } else {
                    Err(LogInError::InvalidCredentials)
                }
            }
            _ => {
                self.hasher.verify_against_dummy(&command.password).await?;
                Err(LogInError::InvalidCredentials)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Fakes;

    fn log_in(email: &str, password: &str) -> LogIn {
        LogIn {
            email: email.into(),
            password: password.into(),
        }
    }

    #[tokio::test]
    async fn the_right_password_gets_a_token_for_the_user() {
        let fakes = Fakes::new();
        let ada = fakes.given_user("ada@example.com").await;

        let token = fakes
            .log_in()
            .handle(log_in("ADA@example.com", Fakes::PASSWORD))
            .await
            .unwrap();

        assert_eq!(token.token, format!("token-for:{ada}"));
    }

    #[tokio::test]
    async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
        let fakes = Fakes::new();
        fakes.given_user("ada@example.com").await;

        let wrong_password = fakes
            .log_in()
            .handle(log_in("ada@example.com", "wrong password"))
            .await;
        let unknown_email = fakes
            .log_in()
            .handle(log_in("bob@example.com", Fakes::PASSWORD))
            .await;

        assert!(matches!(
            wrong_password,
            Err(LogInError::InvalidCredentials)
        ));
        assert!(matches!(unknown_email, Err(LogInError::InvalidCredentials)));
        assert_eq!(
            wrong_password.unwrap_err().to_string(),
            unknown_email.unwrap_err().to_string()
        );
    }

    #[tokio::test]
    async fn an_unknown_email_still_spends_a_verification() {
        let fakes = Fakes::new();

        let _ = fakes
            .log_in()
            .handle(log_in("bob@example.com", "whatever1"))
            .await;
        let _ = fakes
            .log_in()
            .handle(log_in("malformed", "whatever1"))
            .await;

        assert_eq!(fakes.hasher.dummy_verifications(), 2);
    }

    #[tokio::test]
    async fn a_password_longer_than_bcrypt_reads_is_refused_even_if_its_start_matches() {
        let fakes = Fakes::new();
        fakes.given_user("ada@example.com").await;

        let result = fakes
            .log_in()
            .handle(log_in("ada@example.com", &"x".repeat(73)))
            .await;

        assert!(matches!(result, Err(LogInError::InvalidCredentials)));
        assert_eq!(fakes.hasher.dummy_verifications(), 1);
    }
}
