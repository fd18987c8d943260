use std::sync::Arc;

use async_trait::async_trait;
use shared_kernel_application::{Authenticated, AuthenticationError, Authenticator};
use shared_kernel_domain::Clock;

use crate::KnownCallers;
use crate::ports::{SessionQueries, TokenVerifier, UserQueries, VerifiedToken};

/// The accounts context's side of the shared authentication contract: a token is good when
/// it verifies and its session is still going, or, for a token from before sessions existed,
/// when its user still exists (or did a moment ago, see `KnownCallers`).
pub struct TokenAuthenticator {
    pub verifier: Arc<dyn TokenVerifier>,
    pub users: Arc<dyn UserQueries>,
    pub sessions: Arc<dyn SessionQueries>,
    pub known_callers: Arc<KnownCallers>,
    pub clock: Arc<dyn Clock>,
}

impl TokenAuthenticator {
    async fn is_good(&self, token: VerifiedToken) -> Result<bool, AuthenticationError> {
        Ok(match token.session_id {
            Some(session) => {
                self.sessions
                    .is_active(token.user_id, session, self.clock.now())
                    .await?
            }
            None => self.users.user_exists(token.user_id).await?,
        })
    }
}

#[async_trait]
impl Authenticator for TokenAuthenticator {
    async fn authenticate(&self, bearer_token: &str) -> Result<Authenticated, AuthenticationError> {
        let token = self
            .verifier
            .verify(bearer_token)
            .map_err(|_| AuthenticationError::InvalidToken)?;
        let caller = (token.user_id, token.session_id);
        if !self.known_callers.contains(caller) {
            if !self.is_good(token).await? {
                return Err(AuthenticationError::InvalidToken);
            }
            self.known_callers.remember(caller);
        }
        Ok(Authenticated {
            user_id: token.user_id,
            session_id: token.session_id.map(|session| session.as_uuid()),
        })
    }
}

#[cfg(test)]
mod tests;
