use std::sync::Arc;

use accounts_contracts::{SessionEndReason, SessionId};
use async_trait::async_trait;
use shared_kernel_application::{BusError, Command, CommandHandler, InfrastructureError};
use shared_kernel_domain::{Clock, UserId};

use crate::ports::AccountsUnitOfWorkFactory;

/// Ends one of a user's sessions: logging out of it, or ending it from another one.
#[derive(Debug)]
pub struct EndSession {
    pub user_id: UserId,
    pub session_id: SessionId,
    pub reason: SessionEndReason,
}

#[derive(Debug, thiserror::Error)]
pub enum EndSessionError {
    /// Another user's, unknown, already ended or expired: no session of the user's to end.
    #[error("there is no such session")]
    SessionNotFound,
    #[error("ending a session failed")]
    Infrastructure(#[from] InfrastructureError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl Command for EndSession {
    type Output = ();
    type Error = EndSessionError;
}

pub struct EndSessionHandler {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl CommandHandler<EndSession> for EndSessionHandler {
    async fn handle(&self, command: EndSession) -> Result<(), EndSessionError> {
        let unit_of_work = self.unit_of_work.begin().await?;
        let mut session = unit_of_work
            .sessions()
            .get(command.session_id)
            .await?
            .filter(|session| session.user_id() == command.user_id)
            .ok_or(EndSessionError::SessionNotFound)?;
        if !session.end(command.reason, self.clock.now()) {
            return Err(EndSessionError::SessionNotFound);
        }
        unit_of_work.sessions().update(&mut session).await?;
        unit_of_work.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use accounts_contracts::SessionEnded;

    use super::*;
    use crate::testing::Fakes;

    #[tokio::test]
    async fn ending_a_session_records_why_and_its_tokens_stop_working() {
        let fakes = Fakes::new();
        let tokens = fakes.given_session("ada@example.com").await;
        let ada = fakes.users.session(tokens.session_id).unwrap().user_id();

        fakes
            .end_session()
            .handle(EndSession {
                user_id: ada,
                session_id: tokens.session_id,
                reason: SessionEndReason::Logout,
            })
            .await
            .unwrap();

        let ended = fakes.users.published_of::<SessionEnded>();
        assert_eq!(ended.len(), 1);
        assert_eq!(ended[0].reason, SessionEndReason::Logout);
        assert!(fakes.refresh(&tokens.refresh_token).await.is_err());
    }

    #[tokio::test]
    async fn another_users_an_unknown_or_an_ended_session_is_not_found() {
        let fakes = Fakes::new();
        let tokens = fakes.given_session("ada@example.com").await;
        let ada = fakes.users.session(tokens.session_id).unwrap().user_id();
        let end = |user_id, session_id| EndSession {
            user_id,
            session_id,
            reason: SessionEndReason::Revoked,
        };

        let others = fakes
            .end_session()
            .handle(end(UserId::new(), tokens.session_id))
            .await;
        let unknown = fakes.end_session().handle(end(ada, SessionId::new())).await;
        fakes
            .end_session()
            .handle(end(ada, tokens.session_id))
            .await
            .unwrap();
        let again = fakes
            .end_session()
            .handle(end(ada, tokens.session_id))
            .await;

        for result in [others, unknown, again] {
            assert!(matches!(result, Err(EndSessionError::SessionNotFound)));
        }
        assert_eq!(fakes.users.published_of::<SessionEnded>().len(), 1);
    }
}
