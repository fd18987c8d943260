use std::sync::Arc;

use async_trait::async_trait;
use shared_kernel_application::{AuthenticationError, Authenticator};
use shared_kernel_domain::UserId;

use crate::ports::{TokenVerifier, UserQueries};

/// The accounts context's side of the shared authentication contract: a token is good when
/// it verifies and its user still exists.
pub struct TokenAuthenticator {
    pub verifier: Arc<dyn TokenVerifier>,
    pub queries: Arc<dyn UserQueries>,
}

#[async_trait]
impl Authenticator for TokenAuthenticator {
    async fn authenticate(&self, bearer_token: &str) -> Result<UserId, AuthenticationError> {
        let user_id = self
            .verifier
            .verify(bearer_token)
            .map_err(|_| AuthenticationError::InvalidToken)?;
        if self.queries.user_exists(user_id).await? {
            Ok(user_id)
        } else {
            Err(AuthenticationError::InvalidToken)
        }
    }
}

#[cfg(test)]
mod tests {
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
    async fn a_token_that_does_not_verify_is_invalid() {
        let fakes = Fakes::new();

        let result = fakes.authenticator().authenticate("garbage").await;

        assert!(matches!(result, Err(AuthenticationError::InvalidToken)));
    }
}
