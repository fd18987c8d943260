use accounts_contracts::SessionStarted;

use super::*;
use crate::testing::Fakes;

fn log_in(email: &str, password: &str) -> LogIn {
    LogIn {
        email: email.into(),
        password: password.into(),
        user_agent: Some("curl/8.5".into()),
        client: Fakes::CLIENT,
    }
}

/// As many wrong passwords for ada@example.com from `client` as the limit allows.
async fn fail_up_to_the_limit(fakes: &Fakes, client: [u8; 4]) {
    for _ in 0..Fakes::THROTTLE.max_failures {
        let result = fakes.log_in().handle(log_in_from(client, "wrong")).await;
        assert!(matches!(result, Err(LogInError::InvalidCredentials)));
    }
}

fn log_in_from(client: [u8; 4], password: &str) -> LogIn {
    LogIn {
        client: client.into(),
        ..log_in("ada@example.com", password)
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

#[tokio::test]
async fn after_the_limit_of_failures_an_address_waits_and_no_hash_is_spent() {
    let fakes = Fakes::new();
    fakes.given_user("ada@example.com").await;
    fail_up_to_the_limit(&fakes, [10, 0, 0, 1]).await;
    let hashes = fakes.hasher.verifications();

    let refused = fakes
        .log_in()
        .handle(log_in_from([10, 0, 0, 1], Fakes::PASSWORD))
        .await;

    let Err(LogInError::Throttled(refusal)) = refused else {
        panic!("expected a refusal, got {refused:?}");
    };
    assert_eq!(refusal.retry_after, chrono::Duration::seconds(1));
    assert_eq!(
        fakes.hasher.verifications(),
        hashes,
        "no hash for a refused attempt"
    );
    // Refusals do not lengthen the wait; after it, the right password works.
    let _ = fakes
        .log_in()
        .handle(log_in_from([10, 0, 0, 1], Fakes::PASSWORD))
        .await;
    fakes.clock.advance(chrono::Duration::seconds(1));
    fakes
        .log_in()
        .handle(log_in_from([10, 0, 0, 1], Fakes::PASSWORD))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_wait_doubles_with_every_further_failure_and_a_success_resets_it() {
    let fakes = Fakes::new();
    fakes.given_user("ada@example.com").await;
    fail_up_to_the_limit(&fakes, [10, 0, 0, 1]).await;
    fakes.clock.advance(chrono::Duration::seconds(1));
    let _ = fakes
        .log_in()
        .handle(log_in_from([10, 0, 0, 1], "wrong"))
        .await;

    let refused = fakes
        .log_in()
        .handle(log_in_from([10, 0, 0, 1], "wrong"))
        .await;
    let Err(LogInError::Throttled(refusal)) = refused else {
        panic!("expected a refusal, got {refused:?}");
    };
    assert_eq!(refusal.retry_after, chrono::Duration::seconds(2));

    fakes.clock.advance(chrono::Duration::seconds(2));
    fakes
        .log_in()
        .handle(log_in_from([10, 0, 0, 1], Fakes::PASSWORD))
        .await
        .unwrap();
    let _ = fakes
        .log_in()
        .handle(log_in_from([10, 0, 0, 1], "wrong"))
        .await;
    fakes
        .log_in()
        .handle(log_in_from([10, 0, 0, 1], Fakes::PASSWORD))
        .await
        .expect("one failure after a success is far from the limit");
}

#[tokio::test]
async fn another_address_is_not_held_back_by_the_first_ones_failures() {
    let fakes = Fakes::new();
    fakes.given_user("ada@example.com").await;
    fail_up_to_the_limit(&fakes, [10, 0, 0, 1]).await;

    fakes
        .log_in()
        .handle(log_in_from([10, 0, 0, 2], Fakes::PASSWORD))
        .await
        .unwrap();
}

#[tokio::test]
async fn an_unknown_email_is_throttled_exactly_like_a_known_one() {
    let fakes = Fakes::new();
    fakes.given_user("ada@example.com").await;
    let attempt = |email: &str| LogIn {
        email: email.into(),
        ..log_in_from([10, 0, 0, 1], "wrong")
    };
    for _ in 0..Fakes::THROTTLE.max_failures {
        let _ = fakes.log_in().handle(attempt("ada@example.com")).await;
        let _ = fakes.log_in().handle(attempt("nobody@example.com")).await;
    }

    let known = fakes.log_in().handle(attempt("ada@example.com")).await;
    let unknown = fakes.log_in().handle(attempt("NOBODY@example.com")).await;

    let (Err(LogInError::Throttled(known)), Err(LogInError::Throttled(unknown))) = (known, unknown)
    else {
        panic!("both must be refused alike");
    };
    assert_eq!(known, unknown);
}

#[tokio::test]
async fn the_account_takes_at_most_its_hourly_failures_from_any_address() {
    let fakes = Fakes::new();
    fakes.given_user("ada@example.com").await;
    for host in 0..Fakes::THROTTLE.max_failures_per_hour {
        let client = [10, 1, 0, u8::try_from(host).unwrap()];
        let _ = fakes.log_in().handle(log_in_from(client, "wrong")).await;
    }

    let refused = fakes
        .log_in()
        .handle(log_in_from([192, 168, 0, 1], Fakes::PASSWORD))
        .await;

    let Err(LogInError::Throttled(refusal)) = refused else {
        panic!("expected a refusal, got {refused:?}");
    };
    assert_eq!(refusal.rule, accounts_domain::ThrottleRule::FailuresPerHour);
    fakes.clock.advance(accounts_domain::ACCOUNT_WINDOW);
    fakes
        .log_in()
        .handle(log_in_from([192, 168, 0, 1], Fakes::PASSWORD))
        .await
        .unwrap();
}
