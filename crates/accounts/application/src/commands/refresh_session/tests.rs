use accounts_contracts::{SessionEndReason, SessionEnded};

use super::*;
use crate::testing::Fakes;

fn refresh(token: &str) -> RefreshSession {
    RefreshSession {
        refresh_token: token.into(),
    }
}

#[tokio::test]
async fn a_refresh_token_gets_new_tokens_once() {
    let fakes = Fakes::new();
    let first = fakes.given_session("ada@example.com").await;
    fakes.clock.advance(chrono::Duration::minutes(20));

    let second = fakes
        .refresh_session()
        .handle(refresh(&first.refresh_token))
        .await
        .unwrap();

    assert_eq!(second.session_id, first.session_id);
    assert_ne!(second.refresh_token, first.refresh_token);
    let session = fakes.users.session(first.session_id).unwrap();
    assert_eq!(session.last_used_at(), fakes.now());
    assert_eq!(session.expires_at(), fakes.now() + Fakes::SESSION_LIFETIME);
    // The new token works in turn.
    fakes
        .refresh_session()
        .handle(refresh(&second.refresh_token))
        .await
        .unwrap();
}

#[tokio::test]
async fn presenting_an_exchanged_token_revokes_the_whole_session() {
    let fakes = Fakes::new();
    let first = fakes.given_session("ada@example.com").await;
    let second = fakes
        .refresh_session()
        .handle(refresh(&first.refresh_token))
        .await
        .unwrap();

    let reused = fakes
        .refresh_session()
        .handle(refresh(&first.refresh_token))
        .await;

    let Err(RefreshSessionError::Reused {
        user_id,
        session_id,
    }) = reused
    else {
        panic!("expected reuse to be detected, got {reused:?}");
    };
    assert_eq!(session_id, first.session_id);
    assert_eq!(
        user_id,
        fakes.users.session(first.session_id).unwrap().user_id()
    );
    let ended = fakes.users.published_of::<SessionEnded>();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].reason, SessionEndReason::ReuseDetected);
    assert!(
        !fakes
            .users
            .session(first.session_id)
            .unwrap()
            .is_active(fakes.now())
    );
    // Neither party's newest token works any more.
    let newest = fakes
        .refresh_session()
        .handle(refresh(&second.refresh_token))
        .await;
    assert!(matches!(newest, Err(RefreshSessionError::InvalidGrant)));
}

#[tokio::test]
async fn an_unknown_or_expired_token_is_refused_and_changes_nothing() {
    let fakes = Fakes::new();
    let tokens = fakes.given_session("ada@example.com").await;
    let commits = fakes.users.commits();

    let unknown = fakes.refresh_session().handle(refresh("made-up")).await;
    fakes.clock.advance(Fakes::SESSION_LIFETIME);
    let expired = fakes
        .refresh_session()
        .handle(refresh(&tokens.refresh_token))
        .await;

    assert!(matches!(unknown, Err(RefreshSessionError::InvalidGrant)));
    assert!(matches!(expired, Err(RefreshSessionError::InvalidGrant)));
    assert_eq!(fakes.users.commits(), commits);
    assert!(fakes.users.published_of::<SessionEnded>().is_empty());
}
