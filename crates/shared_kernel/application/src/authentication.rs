use async_trait::async_trait;
use shared_kernel_domain::UserId;
use uuid::Uuid;

use crate::InfrastructureError;

/// How any context learns who is calling, without knowing which context issues credentials.
///
/// The accounts context implements it (it verifies its own tokens and checks that their
/// session is still going); other contexts only see this trait and the `UserId` it returns.
#[async_trait]
pub trait Authenticator: Send + Sync {
    async fn authenticate(&self, bearer_token: &str) -> Result<Authenticated, AuthenticationError>;
}

/// Who a valid token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authenticated {
    pub user_id: UserId,
    /// The session the token belongs to, opaque to every context but the one that issued it;
    /// `None` for a token that belongs to none.
    pub session_id: Option<Uuid>,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthenticationError {
    /// Missing, malformed, tampered, expired, signed with another key, of an ended session,
    /// or naming a user that no longer exists: the caller is simply not authenticated.
    #[error("the access token is not valid")]
    InvalidToken,
    #[error(transparent)]
    Infrastructure(#[from] InfrastructureError),
}
