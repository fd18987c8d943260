use std::net::IpAddr;
use std::sync::Arc;

use accounts_contracts::SessionId;
use accounts_domain::{LoginThrottle, Password, Session, ThrottleRefusal};
use async_trait::async_trait;
use chrono::Duration;
use shared_kernel_application::{BusError, Command, CommandHandler, InfrastructureError};
use shared_kernel_domain::{Clock, EmailAddress, UserId};

use super::SessionTokens;
use crate::ports::{
    AccountsUnitOfWorkFactory, LoginFailures, PasswordHasher, RefreshTokens, TokenIssuer,
    UserQueries, account_key,
};

/// Exchanges an email and a password for a new session: an access token and a refresh token.
#[derive(Debug)]
pub struct LogIn {
    pub email: String,
    pub password: String,
    /// The client's `User-Agent`, kept with the session so that its user can tell it apart.
    pub user_agent: Option<String>,
    /// Where the attempt comes from, for the brute-force limits.
    pub client: IpAddr,
}

#[derive(Debug, thiserror::Error)]
pub enum LogInError {
    /// One answer for an unknown email and a wrong password, so that nobody can learn which
    /// addresses are registered.
    #[error("the email or the password is wrong")]
    InvalidCredentials,
    /// Too many failures for this account: the attempt was not even tried (no hash spent).
    #[error("too many failed logins; try again later")]
    Throttled(ThrottleRefusal),
    #[error("logging in failed")]
    Infrastructure(#[from] InfrastructureError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl Command for LogIn {
    type Output = SessionTokens;
    type Error = LogInError;
}

pub struct LogInHandler {
    pub queries: Arc<dyn UserQueries>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub tokens: Arc<dyn TokenIssuer>,
    pub refresh_tokens: Arc<dyn RefreshTokens>,
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub clock: Arc<dyn Clock>,
    pub session_lifetime: Duration,
    pub failures: Arc<dyn LoginFailures>,
    pub throttle: LoginThrottle,
}

impl LogInHandler {
    /// The user `email` and `password` prove to be, if any. Costs one bcrypt verification
    /// whether the email is known or not, so that the time of the answer tells nothing.
    async fn check_credentials(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<UserId>, InfrastructureError> {
        let credentials = match EmailAddress::parse(email) {
            Ok(email) => self.queries.find_credentials(&email).await?,
            Err(_) => None,
        };
        // No stored password is longer than bcrypt's 72 bytes, and bcrypt would compare only
        // the first 72 bytes of a longer one: such a candidate can never be right.
        let fits_bcrypt = password.len() <= Password::MAX_BYTES;
        match credentials {
            Some(credentials) if fits_bcrypt => Ok(self
                .hasher
                .verify(password, &credentials.password_hash)
                .await?
                .then_some(credentials.id)),
            _ => {
                self.hasher.verify_against_dummy(password).await?;
                Ok(None)
            }
        }
    }
}

#[async_trait]
impl CommandHandler<LogIn> for LogInHandler {
    async fn handle(&self, command: LogIn) -> Result<SessionTokens, LogInError> {
        let account = account_key(&command.email);
        let record = self.failures.record_of(&account, command.client).await?;
        if let Some(refusal) = self.throttle.check(&record, self.clock.now()) {
            return Err(LogInError::Throttled(refusal));
        }
        let Some(user) = self
            .check_credentials(&command.email, &command.password)
            .await?
        else {
            self.failures
                .add_failure(&account, command.client, self.clock.now())
                .await?;
            return Err(LogInError::InvalidCredentials);
        };
        if record.consecutive > 0 {
            self.failures
                .clear_consecutive(&account, command.client)
                .await?;
        }

        let refresh = self.refresh_tokens.generate()?;
        let mut session = Session::start(
            SessionId::new(),
            user,
            refresh.hash,
            command.user_agent.as_deref(),
            self.clock.now(),
            self.session_lifetime,
        );
        let unit_of_work = self.unit_of_work.begin().await?;
        unit_of_work.sessions().add(&mut session).await?;
        unit_of_work.commit().await?;

        Ok(SessionTokens {
            session_id: session.id(),
            access: self.tokens.issue(user, session.id())?,
            refresh_token: refresh.token,
        })
    }
}

#[cfg(test)]
mod tests;
