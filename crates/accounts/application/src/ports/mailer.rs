use async_trait::async_trait;
use shared_kernel_application::{EventId, InfrastructureError};
use shared_kernel_domain::EmailAddress;

/// Sends the emails the accounts context promises its users.
///
/// A message may be handed over twice (if the process stops between sending and recording
/// that it sent): `message_id` is the same both times, so that the mail service, given it as
/// an idempotency key, sends only one.
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send_welcome_email(
        &self,
        to: &EmailAddress,
        message_id: EventId,
    ) -> Result<(), InfrastructureError>;
}
