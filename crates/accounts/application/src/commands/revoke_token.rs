use std::sync::Arc;

use accounts_contracts::SessionEndReason;
use accounts_domain::Session;
use async_trait::async_trait;
use shared_kernel_application::{BusError, Command, CommandHandler, InfrastructureError};
use shared_kernel_domain::Clock;

use crate::ports::{AccountsUnitOfWorkFactory, RefreshTokens, SessionRepository, TokenVerifier};

/// Token revocation for a public client (RFC 7009): whoever holds a token may end its
/// session. A refresh token or an access token, of any session; what is not a token of a
/// session still going is no error (section 2.2: the client cannot act on it).
#[derive(Debug)]
pub struct RevokeToken {
    pub token: String,
    pub hint: Option<TokenTypeHint>,
}

/// Which kind of token the client says it sends: where to look first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenTypeHint {
    AccessToken,
    RefreshToken,
}

#[derive(Debug, thiserror::Error)]
pub enum RevokeTokenError {
    #[error("revoking a token failed")]
    Infrastructure(#[from] InfrastructureError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl Command for RevokeToken {
    type Output = ();
    type Error = RevokeTokenError;
}

pub struct RevokeTokenHandler {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub refresh_tokens: Arc<dyn RefreshTokens>,
    pub verifier: Arc<dyn TokenVerifier>,
    pub clock: Arc<dyn Clock>,
}

impl RevokeTokenHandler {
    async fn session_of_refresh_token(
        &self,
        sessions: &dyn SessionRepository,
        token: &str,
    ) -> Result<Option<Session>, InfrastructureError> {
        let digest = self.refresh_tokens.digest(token);
        sessions.find_by_refresh_token(&digest).await
    }

    async fn session_of_access_token(
        &self,
        sessions: &dyn SessionRepository,
        token: &str,
    ) -> Result<Option<Session>, InfrastructureError> {
        let Some((user, Some(session))) = self
            .verifier
            .verify(token)
            .ok()
            .map(|verified| (verified.user_id, verified.session_id))
        else {
            return Ok(None);
        };
        let session = sessions.get(session).await?;
        Ok(session.filter(|session| session.user_id() == user))
    }
}

#[async_trait]
impl CommandHandler<RevokeToken> for RevokeTokenHandler {
    async fn handle(&self, command: RevokeToken) -> Result<(), RevokeTokenError> {
        let unit_of_work = self.unit_of_work.begin().await?;
        let sessions = unit_of_work.sessions();
        let session = if command.hint == Some(TokenTypeHint::AccessToken) {
            match self
                .session_of_access_token(sessions, &command.token)
                .await?
            {
                Some(session) => Some(session),
                None => {
                    self.session_of_refresh_token(sessions, &command.token)
                        .await?
                }
            }
        } else {
            match self
                .session_of_refresh_token(sessions, &command.token)
                .await?
            {
                Some(session) => Some(session),
                None => {
                    self.session_of_access_token(sessions, &command.token)
                        .await?
                }
            }
        };
        let Some(mut session) = session else {
            return Ok(());
        };
        if session.end(SessionEndReason::Revoked, self.clock.now()) {
            unit_of_work.sessions().update(&mut session).await?;
            unit_of_work.commit().await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use accounts_contracts::SessionEnded;

    use super::*;
    use crate::testing::Fakes;

    fn revoke(token: &str, hint: Option<TokenTypeHint>) -> RevokeToken {
        RevokeToken {
            token: token.into(),
            hint,
        }
    }

    #[tokio::test]
    async fn a_refresh_token_ends_its_session_whatever_the_hint() {
        for hint in [None, Some(TokenTypeHint::AccessToken)] {
            let fakes = Fakes::new();
            let tokens = fakes.given_session("ada@example.com").await;

            fakes
                .revoke_token()
                .handle(revoke(&tokens.refresh_token, hint))
                .await
                .unwrap();

            assert!(fakes.refresh(&tokens.refresh_token).await.is_err());
            let ended = fakes.users.published_of::<SessionEnded>();
            assert_eq!(ended[0].reason, SessionEndReason::Revoked);
        }
    }

    #[tokio::test]
    async fn an_access_token_ends_its_session() {
        let fakes = Fakes::new();
        let tokens = fakes.given_session("ada@example.com").await;

        fakes
            .revoke_token()
            .handle(revoke(&tokens.access.token, None))
            .await
            .unwrap();

        assert!(fakes.refresh(&tokens.refresh_token).await.is_err());
    }

    #[tokio::test]
    async fn an_unknown_token_is_no_error_and_changes_nothing() {
        let fakes = Fakes::new();
        fakes.given_session("ada@example.com").await;
        let commits = fakes.users.commits();

        fakes
            .revoke_token()
            .handle(revoke("nothing-of-ours", Some(TokenTypeHint::RefreshToken)))
            .await
            .unwrap();

        assert_eq!(fakes.users.commits(), commits);
    }
}
