use std::sync::Arc;

use accounts_contracts::{SessionEndReason, SessionId};
use async_trait::async_trait;
use shared_kernel_application::{BusError, Command, CommandHandler, InfrastructureError};
use shared_kernel_domain::{Clock, UserId};

use crate::ports::{AccountsUnitOfWorkFactory, SessionRepository};

/// Ends every session of a user but the one the request came from ("log out everywhere
/// else").
#[derive(Debug)]
pub struct EndOtherSessions {
    pub user_id: UserId,
    /// The caller's session; `None` for an access token from before sessions existed.
    pub keep: Option<SessionId>,
}

#[derive(Debug, thiserror::Error)]
pub enum EndOtherSessionsError {
    #[error("ending sessions failed")]
    Infrastructure(#[from] InfrastructureError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl Command for EndOtherSessions {
    /// How many sessions ended.
    type Output = usize;
    type Error = EndOtherSessionsError;
}

pub struct EndOtherSessionsHandler {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl CommandHandler<EndOtherSessions> for EndOtherSessionsHandler {
    async fn handle(&self, command: EndOtherSessions) -> Result<usize, EndOtherSessionsError> {
        let unit_of_work = self.unit_of_work.begin().await?;
        let ended = end_sessions_but(
            unit_of_work.sessions(),
            command.user_id,
            command.keep,
            SessionEndReason::Revoked,
            self.clock.as_ref(),
        )
        .await?;
        if ended > 0 {
            unit_of_work.commit().await?;
        }
        Ok(ended)
    }
}

/// Ends, through a Unit of Work's `sessions`, every active session of `user` but `keep`, for
/// `reason`; returns how many. Changing the password ends them the same way.
pub(crate) async fn end_sessions_but(
    sessions: &dyn SessionRepository,
    user: UserId,
    keep: Option<SessionId>,
    reason: SessionEndReason,
    clock: &dyn Clock,
) -> Result<usize, InfrastructureError> {
    let now = clock.now();
    let mut ended = 0;
    for mut session in sessions.active_of_user(user, now).await? {
        if Some(session.id()) != keep && session.end(reason, now) {
            sessions.update(&mut session).await?;
            ended += 1;
        }
    }
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use accounts_contracts::SessionEnded;

    use super::*;
    use crate::testing::Fakes;

    #[tokio::test]
    async fn every_session_but_the_current_one_ends() {
        let fakes = Fakes::new();
        let current = fakes.given_session("ada@example.com").await;
        let other = fakes.log_in_again("ada@example.com").await;
        let third = fakes.log_in_again("ada@example.com").await;
        let bob = fakes.given_session("bob@example.com").await;
        let ada = fakes.users.session(current.session_id).unwrap().user_id();

        let ended = fakes
            .end_other_sessions()
            .handle(EndOtherSessions {
                user_id: ada,
                keep: Some(current.session_id),
            })
            .await
            .unwrap();

        assert_eq!(ended, 2);
        assert!(fakes.refresh(&other.refresh_token).await.is_err());
        assert!(fakes.refresh(&third.refresh_token).await.is_err());
        assert!(fakes.refresh(&current.refresh_token).await.is_ok());
        assert!(fakes.refresh(&bob.refresh_token).await.is_ok());
        let reasons: Vec<_> = fakes
            .users
            .published_of::<SessionEnded>()
            .iter()
            .map(|ended| ended.reason)
            .collect();
        assert_eq!(reasons, [SessionEndReason::Revoked; 2]);
    }
}
