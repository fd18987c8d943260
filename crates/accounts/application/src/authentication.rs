use std::sync::Arc;

use async_trait::async_trait;
use shared_kernel_application::{AuthenticationError, Authenticator};
use shared_kernel_domain::UserId;

use crate::KnownUsers;
use crate::ports::{TokenVerifier, UserQueries};

/// The accounts context's side of the shared authentication contract: a token is good when
/// it verifies and its user still exists (or did a moment ago, see `KnownUsers`).
pub struct TokenAuthenticator {
    pub verifier: Arc<dyn TokenVerifier>,
    pub queries: Arc<dyn UserQueries>,
    pub known_users: KnownUsers,
}

#[async_trait]
impl Authenticator for TokenAuthenticator {
    async fn authenticate(&self, bearer_token: &str) -> Result<UserId, AuthenticationError> {
        let user_id = self
            .verifier
            .verify(bearer_token)
            .map_err(|_| AuthenticationError::InvalidToken)?;
        if self.known_users.contains(user_id) {
            return Ok(user_id);
        }
        if self.queries.user_exists(user_id).await? {
            self.known_users.remember(user_id);
            Ok(user_id)
        } else {
            Err(AuthenticationError::InvalidToken)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::testing::Fakes;

    #[tokio::test]
    async fn a_valid_token_of_an_existing_user_authenticates_that_user() {
        let fakes = Fakes::new();
        let ada = fakes.given_user("ada@example.com").await;

        let user = fakes
            .authenticator()
            .authenticate(&format!("token-for:{ada}"))
            .await
            .unwrap();

        assert_eq!(user, ada);
    }

    #[tokio::test]
    async fn a_token_of_a_user_who_no_longer_exists_is_invalid() {
        let fakes = Fakes::new();

        let result = fakes
            .authenticator()
            .authenticate(&format!("token-for:{}", UserId::new()))
            .await;

        assert!(matches!(result, Err(AuthenticationError::InvalidToken)));
    }

    #[tokio::test]
    async fn a_user_found_a_moment_ago_is_not_looked_up_again_until_the_ttl_runs_out() {
        let fakes = Fakes::new();
        let ada = fakes.given_user("ada@example.com").await;
        let token = format!("token-for:{ada}");
        let authenticator = fakes.authenticator_remembering_for(Duration::from_secs(30));
        authenticator.authenticate(&token).await.unwrap();

        fakes.users.remove(ada);

        assert_eq!(authenticator.authenticate(&token).await.unwrap(), ada);
        fakes.clock.advance(chrono::Duration::seconds(30));
        let result = authenticator.authenticate(&token).await;
        assert!(matches!(result, Err(AuthenticationError::InvalidToken)));
    }

    #[tokio::test]
    async fn a_user_who_was_not_found_is_not_remembered() {
        let fakes = Fakes::new();
        let authenticator = fakes.authenticator_remembering_for(Duration::from_secs(30));
        let ghost = UserId::new();
        let token = format!("token-for:{ghost}");
        assert!(authenticator.authenticate(&token).await.is_err());

        assert!(!authenticator.known_users.contains(ghost));
    }

    #[tokio::test]
    async fn a_token_that_does_not_verify_is_invalid() {
        let fakes = Fakes::new();

        let result = fakes.authenticator().authenticate("garbage").await;

        assert!(matches!(result, Err(AuthenticationError::InvalidToken)));
    }
}
