use std::sync::Arc;

use accounts_contracts::SessionId;
use accounts_domain::RefreshRefused;
use async_trait::async_trait;
use chrono::Duration;
use shared_kernel_application::{BusError, Command, CommandHandler, InfrastructureError};
use shared_kernel_domain::{Clock, UserId};

use super::SessionTokens;
use crate::ports::{AccountsUnitOfWorkFactory, RefreshTokens, TokenIssuer};

/// Exchanges a refresh token for a new access token and a new refresh token (rotation, RFC
/// 9700 section 4.14.2). The presented token stops working; presenting it again ends the
/// session.
#[derive(Debug)]
pub struct RefreshSession {
    pub refresh_token: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RefreshSessionError {
    /// Unknown, of an ended or expired session: one answer for all (`invalid_grant`).
    #[error("the refresh token is not valid")]
    InvalidGrant,
    /// Exchanged already: someone holds a copy, and the session has just been revoked. The
    /// client hears `invalid_grant` like for any other refused token; the operator is told.
    #[error(
        "refresh token of session {session_id} (user {user_id}) presented again after its exchange: the session is revoked"
    )]
    Reused {
        user_id: UserId,
        session_id: SessionId,
    },
    #[error("refreshing a session failed")]
    Infrastructure(#[from] InfrastructureError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl Command for RefreshSession {
    type Output = SessionTokens;
    type Error = RefreshSessionError;
}

pub struct RefreshSessionHandler {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub tokens: Arc<dyn TokenIssuer>,
    pub refresh_tokens: Arc<dyn RefreshTokens>,
    pub clock: Arc<dyn Clock>,
    pub session_lifetime: Duration,
}

#[async_trait]
impl CommandHandler<RefreshSession> for RefreshSessionHandler {
    async fn handle(&self, command: RefreshSession) -> Result<SessionTokens, RefreshSessionError> {
        let presented = self.refresh_tokens.digest(&command.refresh_token);
        let next = self.refresh_tokens.generate()?;

        let unit_of_work = self.unit_of_work.begin().await?;
        let mut session = unit_of_work
            .sessions()
            .find_by_refresh_token(&presented)
            .await?
            .ok_or(RefreshSessionError::InvalidGrant)?;
        let now = self.clock.now();
        match session.refresh(&presented, next.hash, now, self.session_lifetime) {
            Ok(()) => {
                unit_of_work.sessions().update(&mut session).await?;
                unit_of_work.commit().await?;
                Ok(SessionTokens {
                    session_id: session.id(),
                    access: self.tokens.issue(session.user_id(), session.id())?,
                    refresh_token: next.token,
                })
            }
            Err(RefreshRefused::Reused) => {
                unit_of_work.sessions().update(&mut session).await?;
                unit_of_work.commit().await?;
                Err(RefreshSessionError::Reused {
                    user_id: session.user_id(),
                    session_id: session.id(),
                })
            }
            Err(RefreshRefused::Ended | RefreshRefused::Expired) => {
                Err(RefreshSessionError::InvalidGrant)
            }
        }
    }
}

#[cfg(test)]
mod tests;
