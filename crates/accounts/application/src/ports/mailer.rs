use async_trait::async_trait;
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::EmailAddress;

/// Sends the emails the accounts context promises its users.
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send_welcome_email(&self, to: &EmailAddress) -> Result<(), InfrastructureError>;
}
