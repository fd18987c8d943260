use activity_domain::Entry;
use async_trait::async_trait;
use shared_kernel_application::InfrastructureError;

/// The entries, written once and never changed.
#[async_trait]
pub trait EntryRepository: Send + Sync {
    async fn add(&self, entry: &Entry) -> Result<(), InfrastructureError>;
}
