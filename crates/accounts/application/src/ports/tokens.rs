use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

/// A bearer token and how many seconds it stays valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    pub token: String,
    pub expires_in_seconds: u64,
}

pub trait TokenIssuer: Send + Sync {
    fn issue(&self, user_id: UserId) -> Result<AccessToken, InfrastructureError>;
}

/// Missing, malformed, tampered, expired or signed with another key: all the same to a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the access token is not valid")]
pub struct InvalidToken;

pub trait TokenVerifier: Send + Sync {
    fn verify(&self, token: &str) -> Result<UserId, InvalidToken>;
}
