use accounts_application::ports::SessionQueries;
use accounts_contracts::{SessionEndReason, SessionId};
use accounts_domain::{RefreshTokenHash, Session};
use chrono::Duration;
use platform_database::testing::{Backend, Postgres, Sqlite};
use rstest::rstest;
use shared_kernel_domain::UserId;

use crate::support::{Accounts, now};

impl Accounts {
    /// The ids of `user`'s active sessions, as the read side lists them.
    pub async fn sessions_of(&self, user: UserId) -> Vec<SessionId> {
        self.sessions
            .active_sessions(user, now())
            .await
            .unwrap()
            .into_iter()
            .map(|view| view.id)
            .collect()
    }

    async fn start(&self, user: UserId, token: &str, lifetime: Duration) -> Session {
        let mut session = Session::start(
            SessionId::new(),
            user,
            RefreshTokenHash::new(token),
            Some("PhoneApp/1.0"),
            now(),
            lifetime,
        );
        let unit_of_work = self.begin().await;
        unit_of_work.sessions().add(&mut session).await.unwrap();
        unit_of_work.commit().await.unwrap();
        session
    }
}

#[rstest]
#[tokio::test]
async fn lists_a_users_active_sessions_newest_first(#[values(Sqlite, Postgres)] backend: Backend) {
    let accounts = Accounts::on(backend).await;
    let ada = accounts.given_user("ada@example.com").await.id();
    let bob = accounts.given_user("bob@example.com").await.id();
    let older = accounts.start(ada, "a1", Duration::days(30)).await;
    let newer = accounts.start(ada, "a2", Duration::days(30)).await;
    let mut ended = accounts.start(ada, "a3", Duration::days(30)).await;
    accounts.start(ada, "a4", Duration::seconds(-1)).await; // already expired
    accounts.start(bob, "b1", Duration::days(30)).await;
    ended.end(SessionEndReason::Revoked, now());
    let unit_of_work = accounts.begin().await;
    unit_of_work.sessions().update(&mut ended).await.unwrap();
    unit_of_work.commit().await.unwrap();

    let views = accounts.sessions.active_sessions(ada, now()).await.unwrap();

    let ids: Vec<_> = views.iter().map(|view| view.id).collect();
    assert_eq!(ids, [newer.id(), older.id()]);
    assert_eq!(views[0].user_agent.as_deref(), Some("PhoneApp/1.0"));
    assert_eq!(views[0].created_at, newer.created_at());
    assert_eq!(views[0].expires_at, newer.expires_at());
}

#[rstest]
#[tokio::test]
async fn a_session_is_active_only_for_its_user_until_it_ends_or_expires(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let ada = accounts.given_user("ada@example.com").await.id();
    let mut session = accounts.start(ada, "a1", Duration::days(30)).await;
    let active = |user, at| accounts.sessions.is_active(user, session.id(), at);

    assert!(active(ada, now()).await.unwrap());
    assert!(!active(UserId::new(), now()).await.unwrap());
    assert!(!active(ada, now() + Duration::days(31)).await.unwrap());

    session.end(SessionEndReason::Logout, now());
    let unit_of_work = accounts.begin().await;
    unit_of_work.sessions().update(&mut session).await.unwrap();
    unit_of_work.commit().await.unwrap();
    assert!(
        !accounts
            .sessions
            .is_active(ada, session.id(), now())
            .await
            .unwrap()
    );
}
