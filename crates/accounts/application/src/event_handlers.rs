//! How the accounts context reacts to events, its own included.

use std::sync::Arc;

use accounts_contracts::{SessionEnded, UserAccountCreated};
use async_trait::async_trait;
use shared_kernel_application::{EventHandler, EventHandlerError, EventId};

use crate::KnownCallers;
use crate::ports::{AccountsUnitOfWorkFactory, Mailer};

/// Welcomes a new user. One of several handlers of `UserAccountCreated`: the projects context
/// reacts to the same event without either handler knowing of the other.
pub struct SendWelcomeEmail {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub mailer: Arc<dyn Mailer>,
}

#[async_trait]
impl EventHandler<UserAccountCreated> for SendWelcomeEmail {
    fn name(&self) -> &'static str {
        "accounts.SendWelcomeEmail"
    }

    /// The inbox entry and the hand-over to the mailer share a transaction: if the mailer
    /// fails, nothing is recorded and the event comes back; once it is recorded, a
    /// redelivered event sends nothing. The mailer gets the event id as the message id, so
    /// that a crash between sending and committing cannot send two emails either.
    async fn handle(
        &self,
        event: &UserAccountCreated,
        id: EventId,
    ) -> Result<(), EventHandlerError> {
        let unit_of_work = self.unit_of_work.begin().await?;
        if !unit_of_work.inbox().first_delivery(self.name(), id).await? {
            return Ok(());
        }
        self.mailer.send_welcome_email(&event.email, id).await?;
        unit_of_work.commit().await?;
        Ok(())
    }
}

/// Makes this instance's authenticator forget a session that ended, so that its access
/// tokens are refused from the next request on, rather than when the memory of it runs out.
/// The first delivery of an event runs in the instance that recorded it, right after the
/// commit, before the client hears the answer; other instances keep their `ttl`.
pub struct ForgetEndedSession {
    pub known_callers: Arc<KnownCallers>,
}

#[async_trait]
impl EventHandler<SessionEnded> for ForgetEndedSession {
    fn name(&self) -> &'static str {
        "accounts.ForgetEndedSession"
    }

    /// Forgetting twice is forgetting once: no inbox needed.
    async fn handle(&self, event: &SessionEnded, _id: EventId) -> Result<(), EventHandlerError> {
        self.known_callers.forget_session(event.session_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use shared_kernel_domain::{EmailAddress, UserId};

    use super::*;
    use crate::testing::{FakeMailer, FakeUnitOfWorkFactory, FakeUserStore};

    fn handler(store: &Arc<FakeUserStore>, mailer: &Arc<FakeMailer>) -> SendWelcomeEmail {
        SendWelcomeEmail {
            unit_of_work: Arc::new(FakeUnitOfWorkFactory(store.clone())),
            mailer: mailer.clone(),
        }
    }

    fn new_account() -> UserAccountCreated {
        UserAccountCreated {
            user_id: UserId::new(),
            email: EmailAddress::parse("ada@example.com").unwrap(),
            occurred_at: DateTime::UNIX_EPOCH,
        }
    }

    #[tokio::test]
    async fn sends_a_welcome_email_to_the_new_user() {
        let (store, mailer) = (Arc::default(), Arc::new(FakeMailer::default()));
        let id = EventId::new();

        handler(&store, &mailer)
            .handle(&new_account(), id)
            .await
            .unwrap();

        assert_eq!(mailer.sent(), vec![("ada@example.com".to_string(), id)]);
    }

    #[tokio::test]
    async fn a_redelivered_event_sends_nothing() {
        let (store, mailer) = (Arc::default(), Arc::new(FakeMailer::default()));
        let (event, id) = (new_account(), EventId::new());

        handler(&store, &mailer).handle(&event, id).await.unwrap();
        handler(&store, &mailer).handle(&event, id).await.unwrap();

        assert_eq!(mailer.sent().len(), 1);
    }

    #[tokio::test]
    async fn a_failed_send_records_nothing_so_that_the_retry_sends() {
        let (store, mailer) = (Arc::default(), Arc::new(FakeMailer::default()));
        let (event, id) = (new_account(), EventId::new());
        mailer.fail_next();

        assert!(handler(&store, &mailer).handle(&event, id).await.is_err());
        handler(&store, &mailer).handle(&event, id).await.unwrap();

        assert_eq!(mailer.sent().len(), 1);
    }
}
