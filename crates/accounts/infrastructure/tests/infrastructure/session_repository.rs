use accounts_contracts::{SessionEndReason, SessionId};
use accounts_domain::{RefreshTokenHash, Session};
use chrono::Duration;
use platform_database::testing::{Backend, Postgres, Sqlite};
use rstest::rstest;
use shared_kernel_domain::{AggregateRoot, UserId};

use crate::support::{Accounts, now};

const LIFETIME: Duration = Duration::days(30);

fn digest(name: &str) -> RefreshTokenHash {
    RefreshTokenHash::new(format!("{name:0>64}"))
}

/// Starts and commits a session of a new user.
async fn given_session(accounts: &Accounts, token: &str) -> Session {
    let user = accounts.given_user(&format!("{token}@example.com")).await;
    let mut session = Session::start(
        SessionId::new(),
        user.id(),
        digest(token),
        Some("curl/8.5"),
        now(),
        LIFETIME,
    );
    let unit_of_work = accounts.begin().await;
    unit_of_work.sessions().add(&mut session).await.unwrap();
    unit_of_work.commit().await.unwrap();
    session
}

#[rstest]
#[tokio::test]
async fn a_saved_session_loads_back_whole_and_publishes_its_start(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let saved = given_session(&accounts, "first").await;

    let loaded = accounts
        .begin()
        .await
        .sessions()
        .get(saved.id())
        .await
        .unwrap()
        .expect("the session");

    assert_eq!(loaded.user_id(), saved.user_id());
    assert_eq!(loaded.refresh_token(), &digest("first"));
    assert_eq!(loaded.user_agent(), Some("curl/8.5"));
    assert_eq!(loaded.created_at(), saved.created_at());
    assert_eq!(loaded.expires_at(), saved.expires_at());
    assert_eq!(loaded.ended_at(), None);
    assert!(loaded.events().is_empty());
    assert!(
        accounts
            .publisher
            .published()
            .contains(&"accounts.SessionStarted")
    );
}

#[rstest]
#[tokio::test]
async fn every_refresh_token_a_session_was_given_still_finds_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let mut session = given_session(&accounts, "first").await;
    session
        .refresh(&digest("first"), digest("second"), now(), LIFETIME)
        .unwrap();
    let unit_of_work = accounts.begin().await;
    unit_of_work.sessions().update(&mut session).await.unwrap();
    unit_of_work.commit().await.unwrap();

    let unit_of_work = accounts.begin().await;
    for token in ["first", "second"] {
        let found = unit_of_work
            .sessions()
            .find_by_refresh_token(&digest(token))
            .await
            .unwrap()
            .expect("the session");
        assert_eq!(found.id(), session.id(), "{token}");
        assert_eq!(found.refresh_token(), &digest("second"), "the current one");
    }
    let unknown = unit_of_work
        .sessions()
        .find_by_refresh_token(&digest("never"))
        .await
        .unwrap();
    assert!(unknown.is_none());
}

#[rstest]
#[tokio::test]
async fn an_ended_session_is_saved_ended_and_no_longer_among_the_active_ones(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let mut ended = given_session(&accounts, "first").await;
    let user = ended.user_id();

    assert!(ended.end(SessionEndReason::Logout, now()));
    let unit_of_work = accounts.begin().await;
    unit_of_work.sessions().update(&mut ended).await.unwrap();
    unit_of_work.commit().await.unwrap();

    let unit_of_work = accounts.begin().await;
    let loaded = unit_of_work
        .sessions()
        .get(ended.id())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(loaded.ended_at(), ended.ended_at());
    let active = unit_of_work
        .sessions()
        .active_of_user(user, now())
        .await
        .unwrap();
    assert!(active.is_empty());
    assert!(
        accounts
            .publisher
            .published()
            .contains(&"accounts.SessionEnded")
    );
}

#[rstest]
#[tokio::test]
async fn a_session_that_is_not_committed_is_not_saved(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let user = accounts.given_user("ada@example.com").await;
    let mut session = Session::start(
        SessionId::new(),
        user.id(),
        digest("first"),
        None,
        now(),
        LIFETIME,
    );
    {
        let unit_of_work = accounts.begin().await;
        unit_of_work.sessions().add(&mut session).await.unwrap();
    }

    let loaded = accounts
        .begin()
        .await
        .sessions()
        .get(session.id())
        .await
        .unwrap();
    assert!(loaded.is_none());
    assert!(
        accounts
            .sessions_of(UserId::from_uuid(user.id().as_uuid()))
            .await
            .is_empty()
    );
}
