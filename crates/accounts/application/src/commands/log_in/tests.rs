use accounts_contracts::SessionStarted;

use super::*;
use crate::testing::Fakes;

fn log_in(email: &str, password: &str) -> LogIn {
    LogIn {
        email: email.into(),
        password: password.into(),
        user_agent: Some("curl/8.5".into()),
    }
}

#[tokio::test]
async fn the_right_password_starts_a_session_and_gets_its_tokens() {
    let fakes = Fakes::new();
    let ada = fakes.given_user("ada@example.com").await;

    let tokens = fakes
        .log_in()
        .handle(log_in("ADA@example.com", Fakes::PASSWORD))
        .await
        .unwrap();

    assert_eq!(
        tokens.access.token,
        format!("token-for:{ada}:{}", tokens.session_id)
    );
    let session = fakes.users.session(tokens.session_id).unwrap();
    assert_eq!(session.user_id(), ada);
    assert_eq!(session.user_agent(), Some("curl/8.5"));
    assert_eq!(session.expires_at(), fakes.now() + Fakes::SESSION_LIFETIME);
    assert_eq!(
        session.refresh_token(),
        &fakes.refresh_tokens.digest(&tokens.refresh_token)
    );
    assert!(
        fakes
            .users
            .published_of::<SessionStarted>()
            .iter()
            .any(|started| started.session_id == tokens.session_id)
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer_and_no_session() {
    let fakes = Fakes::new();
    fakes.given_user("ada@example.com").await;
    let commits = fakes.users.commits();

    let wrong_password = fakes
        .log_in()
        .handle(log_in("ada@example.com", "wrong password"))
        .await;
    let unknown_email = fakes
        .log_in()
        .handle(log_in("bob@example.com", Fakes::PASSWORD))
        .await;

    assert!(matches!(
        wrong_password,
        Err(LogInError::InvalidCredentials)
    ));
    assert!(matches!(unknown_email, Err(LogInError::InvalidCredentials)));
    assert_eq!(
        wrong_password.unwrap_err().to_string(),
        unknown_email.unwrap_err().to_string()
    );
    assert_eq!(fakes.users.commits(), commits, "nothing was written");
}

#[tokio::test]
async fn an_unknown_email_still_spends_a_verification() {
    let fakes = Fakes::new();

    let _ = fakes
        .log_in()
        .handle(log_in("bob@example.com", "whatever1"))
        .await;
    let _ = fakes
        .log_in()
        .handle(log_in("malformed", "whatever1"))
        .await;

    assert_eq!(fakes.hasher.dummy_verifications(), 2);
}

#[tokio::test]
async fn a_password_longer_than_bcrypt_reads_is_refused_even_if_its_start_matches() {
    let fakes = Fakes::new();
    fakes.given_user("ada@example.com").await;

    let result = fakes
        .log_in()
        .handle(log_in("ada@example.com", &"x".repeat(73)))
        .await;

    assert!(matches!(result, Err(LogInError::InvalidCredentials)));
    assert_eq!(fakes.hasher.dummy_verifications(), 1);
}
