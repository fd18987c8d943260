use accounts_contracts::SessionId;
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

/// A bearer token and how many seconds it stays valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    pub token: String,
    pub expires_in_seconds: u64,
}

pub trait TokenIssuer: Send + Sync {
    /// An access token of `user_id`, for `session_id`.
    fn issue(
        &self,
        user_id: UserId,
        session_id: SessionId,
    ) -> Result<AccessToken, InfrastructureError>;
}

/// What a valid access token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedToken {
    pub user_id: UserId,
    /// `None` for a token issued before sessions existed: it stays good until it expires.
    pub session_id: Option<SessionId>,
}

/// Missing, malformed, tampered, expired or signed with another key: all the same to a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the access token is not valid")]
pub struct InvalidToken;

pub trait TokenVerifier: Send + Sync {
    fn verify(&self, token: &str) -> Result<VerifiedToken, InvalidToken>;
}
