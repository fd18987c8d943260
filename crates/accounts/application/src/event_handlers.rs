//! How the accounts context reacts to events, its own included.

use std::sync::Arc;

use async_trait::async_trait;
use shared_kernel_application::{EventHandler, EventHandlerError};
use shared_kernel_domain::UserAccountCreated;

use crate::ports::Mailer;

/// Welcomes a new user. One of several handlers of `UserAccountCreated`: the projects context
/// reacts to the same event without either handler knowing of the other.
pub struct SendWelcomeEmail {
    pub mailer: Arc<dyn Mailer>,
}

#[async_trait]
impl EventHandler<UserAccountCreated> for SendWelcomeEmail {
    fn name(&self) -> &'static str {
        "accounts.SendWelcomeEmail"
    }

    async fn handle(&self, event: &UserAccountCreated) -> Result<(), EventHandlerError> {
        self.mailer.send_welcome_email(&event.email).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use shared_kernel_domain::{EmailAddress, UserId};

    use super::*;
    use crate::testing::FakeMailer;

    #[tokio::test]
    async fn sends_a_welcome_email_to_the_new_user() {
        let mailer = Arc::new(FakeMailer::default());
        let handler = SendWelcomeEmail {
            mailer: mailer.clone(),
        };

        handler
            .handle(&UserAccountCreated {
                user_id: UserId::new(),
                email: EmailAddress::parse("ada@example.com").unwrap(),
                occurred_at: DateTime::UNIX_EPOCH,
            })
            .await
            .unwrap();

        assert_eq!(mailer.sent(), vec!["ada@example.com".to_string()]);
    }
}
