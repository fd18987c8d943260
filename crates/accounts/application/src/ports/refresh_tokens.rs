use accounts_domain::RefreshTokenHash;
use shared_kernel_application::InfrastructureError;

/// A refresh token as it is handed to the client, once, with the digest that is kept of it.
pub struct NewRefreshToken {
    pub token: String,
    pub hash: RefreshTokenHash,
}

/// Makes refresh tokens, and digests the ones clients present.
pub trait RefreshTokens: Send + Sync {
    /// A new token: at least 256 random bits, URL-safe.
    fn generate(&self) -> Result<NewRefreshToken, InfrastructureError>;

    /// The digest `generate` would have kept of `presented`.
    fn digest(&self, presented: &str) -> RefreshTokenHash;
}
