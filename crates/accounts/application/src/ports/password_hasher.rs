use accounts_domain::{Password, PasswordHash};
use async_trait::async_trait;
use shared_kernel_application::InfrastructureError;

/// Hashes and verifies passwords. Implementations do the (deliberately slow) work off the
/// async workers.
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, InfrastructureError>;

    async fn verify(
        &self,
        candidate: &str,
        hash: &PasswordHash,
    ) -> Result<bool, InfrastructureError>;

    /// Spends as long as `verify` does, for a login whose email is unknown, so that the time
    /// of the answer does not reveal whether an address is registered.
    async fn verify_against_dummy(&self, candidate: &str) -> Result<(), InfrastructureError>;
}
