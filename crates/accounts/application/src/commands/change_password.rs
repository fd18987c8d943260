use std::net::IpAddr;
use std::sync::Arc;

use accounts_contracts::{SessionEndReason, SessionId};
use accounts_domain::{LoginThrottle, Password, ThrottleRefusal};
use async_trait::async_trait;
use shared_kernel_application::{
    BusError, Command, CommandHandler, InfrastructureError, InvalidInput,
};
use shared_kernel_domain::{Clock, UserId};

use super::end_other_sessions::end_sessions_but;
use crate::ports::{
    AccountsUnitOfWorkFactory, LoginFailures, PasswordHasher, SaveUserError, UserQueries,
    account_key,
};

/// Changes a user's password, given the current one. Every other session of the user ends:
/// whoever knew the old password is out.
#[derive(Debug)]
pub struct ChangePassword {
    pub user_id: UserId,
    /// The session the request came from, which stays; `None` for an access token from
    /// before sessions existed.
    pub keep: Option<SessionId>,
    pub current_password: String,
    pub new_password: String,
    /// Where the request comes from: a wrong current password counts as a failed login.
    pub client: IpAddr,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangePasswordError {
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    #[error("the current password is wrong")]
    WrongPassword,
    /// Too many failed logins (or wrong current passwords) for this account.
    #[error("too many failed logins; try again later")]
    Throttled(ThrottleRefusal),
    #[error("the user does not exist")]
    UserNotFound,
    #[error("changing a password failed")]
    Infrastructure(#[from] InfrastructureError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl Command for ChangePassword {
    type Output = ();
    type Error = ChangePasswordError;
}

pub struct ChangePasswordHandler {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub queries: Arc<dyn UserQueries>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub clock: Arc<dyn Clock>,
    pub failures: Arc<dyn LoginFailures>,
    pub throttle: LoginThrottle,
}

#[async_trait]
impl CommandHandler<ChangePassword> for ChangePasswordHandler {
    async fn handle(&self, command: ChangePassword) -> Result<(), ChangePasswordError> {
        let new_password = Password::new(command.new_password)
            .map_err(|error| InvalidInput::field("newPassword", error))?;
        let stored = self
            .queries
            .stored_password(command.user_id)
            .await?
            .ok_or(ChangePasswordError::UserNotFound)?;
        let account = account_key(&stored.email);
        let record = self.failures.record_of(&account, command.client).await?;
        if let Some(refusal) = self.throttle.check(&record, self.clock.now()) {
            return Err(ChangePasswordError::Throttled(refusal));
        }
        // Both hashes are slow on purpose: they run before the transaction opens.
        let fits_bcrypt = command.current_password.len() <= Password::MAX_BYTES;
        if !fits_bcrypt
            || !self
                .hasher
                .verify(&command.current_password, &stored.password_hash)
                .await?
        {
            self.failures
                .add_failure(&account, command.client, self.clock.now())
                .await?;
            return Err(ChangePasswordError::WrongPassword);
        }
        let new_hash = self.hasher.hash(&new_password).await?;

        let unit_of_work = self.unit_of_work.begin().await?;
        let mut user = unit_of_work
            .users()
            .get(command.user_id)
            .await?
            .ok_or(ChangePasswordError::UserNotFound)?;
        user.change_password(new_hash);
        unit_of_work
            .users()
            .update(&mut user)
            .await
            .map_err(|error| match error {
                // The address did not change: no other user can hold it.
                SaveUserError::EmailTaken => InfrastructureError::new(
                    "changing a password",
                    "the user's own address was refused as taken",
                ),
                SaveUserError::Infrastructure(error) => error,
            })?;
        end_sessions_but(
            unit_of_work.sessions(),
            command.user_id,
            command.keep,
            SessionEndReason::PasswordChanged,
            self.clock.as_ref(),
        )
        .await?;
        unit_of_work.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
