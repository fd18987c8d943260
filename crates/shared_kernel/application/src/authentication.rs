use async_trait::async_trait;
use shared_kernel_domain::UserId;

use crate::InfrastructureError;

/// How any context learns who is calling, without knowing which context issues credentials.
///
/// The accounts context implements it (it verifies its own tokens and checks the user still
/// exists); other contexts only see this trait and the `UserId` it returns.
#[async_trait]
pub trait Authenticator: Send + Sync {
    async fn authenticate(&self, bearer_token: &str) -> Result<UserId, AuthenticationError>;
}

#[derive(Debug, thiserror::Error)]
pub enum AuthenticationError {
    /// Missing, malformed, tampered, expired, signed with another key, or naming a user that
    /// no longer exists: the caller is simply not authenticated.
    #[error("the access token is not valid")]
    InvalidToken,
    #[error(transparent)]
    Infrastructure(#[from] InfrastructureError),
}
