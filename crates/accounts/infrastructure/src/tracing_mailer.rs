use accounts_application::ports::Mailer;
use async_trait::async_trait;
use shared_kernel_application::{EventId, InfrastructureError};
use shared_kernel_domain::EmailAddress;

/// A stand-in for a real email service: it writes the email it would send to the log. Swap
/// in an SMTP or API adapter by implementing `Mailer`; nothing else changes.
#[derive(Debug, Default)]
pub struct TracingMailer;

#[async_trait]
impl Mailer for TracingMailer {
    async fn send_welcome_email(
        &self,
        to: &EmailAddress,
        message_id: EventId,
    ) -> Result<(), InfrastructureError> {
        tracing::info!(to = %to, message_id = %message_id, "welcome email sent: \"Welcome aboard! Your first project is waiting.\"");
        Ok(())
    }
}
