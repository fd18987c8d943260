use std::time::Duration;

use accounts_contracts::{SessionEndReason, SessionId};
use shared_kernel_domain::UserId;

use super::*;
use crate::commands::EndSession;
use crate::testing::Fakes;
use shared_kernel_application::CommandHandler;

#[tokio::test]
async fn a_token_of_a_session_still_going_authenticates_its_user_and_session() {
    let fakes = Fakes::new();
    let tokens = fakes.given_session("ada@example.com").await;
    let ada = fakes.users.session(tokens.session_id).unwrap().user_id();

    let caller = fakes
        .authenticator()
        .authenticate(&tokens.access.token)
        .await
        .unwrap();

    assert_eq!(caller.user_id, ada);
    assert_eq!(caller.session_id, Some(tokens.session_id.as_uuid()));
}

#[tokio::test]
async fn a_token_of_an_ended_or_expired_session_is_invalid() {
    let fakes = Fakes::new();
    let ended = fakes.given_session("ada@example.com").await;
    let expiring = fakes.log_in_again("ada@example.com").await;
    let ada = fakes.users.session(ended.session_id).unwrap().user_id();
    fakes
        .end_session()
        .handle(EndSession {
            user_id: ada,
            session_id: ended.session_id,
            reason: SessionEndReason::Logout,
        })
        .await
        .unwrap();

    let result = fakes
        .authenticator()
        .authenticate(&ended.access.token)
        .await;
    assert!(matches!(result, Err(AuthenticationError::InvalidToken)));

    fakes.clock.advance(Fakes::SESSION_LIFETIME);
    let result = fakes
        .authenticator()
        .authenticate(&expiring.access.token)
        .await;
    assert!(matches!(result, Err(AuthenticationError::InvalidToken)));
}

#[tokio::test]
async fn a_token_from_before_sessions_is_good_while_its_user_exists() {
    let fakes = Fakes::new();
    let ada = fakes.given_user("ada@example.com").await;

    let caller = fakes
        .authenticator()
        .authenticate(&format!("token-for:{ada}"))
        .await
        .unwrap();
    assert_eq!((caller.user_id, caller.session_id), (ada, None));

    let ghost = format!("token-for:{}", UserId::new());
    let result = fakes.authenticator().authenticate(&ghost).await;
    assert!(matches!(result, Err(AuthenticationError::InvalidToken)));
}

#[tokio::test]
async fn a_caller_found_a_moment_ago_is_not_looked_up_again_until_the_ttl_runs_out() {
    let fakes = Fakes::new();
    let ada = fakes.given_user("ada@example.com").await;
    let token = format!("token-for:{ada}");
    let authenticator = fakes.authenticator_remembering_for(Duration::from_secs(30));
    authenticator.authenticate(&token).await.unwrap();

    fakes.users.remove(ada);

    assert_eq!(
        authenticator.authenticate(&token).await.unwrap().user_id,
        ada
    );
    fakes.clock.advance(chrono::Duration::seconds(30));
    let result = authenticator.authenticate(&token).await;
    assert!(matches!(result, Err(AuthenticationError::InvalidToken)));
}

#[tokio::test]
async fn a_session_forgotten_on_its_end_is_refused_at_once_despite_the_ttl() {
    let fakes = Fakes::new();
    let tokens = fakes.given_session("ada@example.com").await;
    let authenticator = fakes.authenticator_remembering_for(Duration::from_secs(30));
    authenticator
        .authenticate(&tokens.access.token)
        .await
        .unwrap();

    fakes
        .end_and_forget(tokens.session_id, &authenticator)
        .await;

    let result = authenticator.authenticate(&tokens.access.token).await;
    assert!(matches!(result, Err(AuthenticationError::InvalidToken)));
}

#[tokio::test]
async fn a_caller_who_was_not_found_is_not_remembered() {
    let fakes = Fakes::new();
    let authenticator = fakes.authenticator_remembering_for(Duration::from_secs(30));
    let ghost = UserId::new();
    let token = format!("token-for:{ghost}:{}", SessionId::new());
    assert!(authenticator.authenticate(&token).await.is_err());

    assert!(authenticator.known_callers.is_empty());
}

#[tokio::test]
async fn a_token_that_does_not_verify_is_invalid() {
    let fakes = Fakes::new();

    let result = fakes.authenticator().authenticate("garbage").await;

    assert!(matches!(result, Err(AuthenticationError::InvalidToken)));
}
