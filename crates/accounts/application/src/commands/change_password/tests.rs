use accounts_contracts::SessionEnded;

use super::*;
use crate::commands::LogInError;
use crate::testing::Fakes;

fn change(user_id: UserId, keep: SessionId, current: &str, new: &str) -> ChangePassword {
    ChangePassword {
        user_id,
        keep: Some(keep),
        current_password: current.into(),
        new_password: new.into(),
        client: Fakes::CLIENT,
    }
}

#[tokio::test]
async fn the_new_password_logs_in_and_every_other_session_ends() {
    let fakes = Fakes::new();
    let current = fakes.given_session("ada@example.com").await;
    let other = fakes.log_in_again("ada@example.com").await;
    let ada = fakes.users.session(current.session_id).unwrap().user_id();

    fakes
        .change_password()
        .handle(change(
            ada,
            current.session_id,
            Fakes::PASSWORD,
            "a brand new one",
        ))
        .await
        .unwrap();

    assert!(fakes.refresh(&other.refresh_token).await.is_err());
    assert!(fakes.refresh(&current.refresh_token).await.is_ok());
    let ended = fakes.users.published_of::<SessionEnded>();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].reason, SessionEndReason::PasswordChanged);
    assert!(
        fakes
            .log_in_with("ada@example.com", "a brand new one")
            .await
            .is_ok()
    );
    assert!(matches!(
        fakes.log_in_with("ada@example.com", Fakes::PASSWORD).await,
        Err(LogInError::InvalidCredentials)
    ));
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing() {
    let fakes = Fakes::new();
    let current = fakes.given_session("ada@example.com").await;
    let other = fakes.log_in_again("ada@example.com").await;
    let ada = fakes.users.session(current.session_id).unwrap().user_id();
    let commits = fakes.users.commits();

    let result = fakes
        .change_password()
        .handle(change(
            ada,
            current.session_id,
            "not my password",
            "a brand new one",
        ))
        .await;

    assert!(matches!(result, Err(ChangePasswordError::WrongPassword)));
    assert_eq!(fakes.users.commits(), commits);
    assert!(fakes.refresh(&other.refresh_token).await.is_ok());
}

#[tokio::test]
async fn a_new_password_that_breaks_the_rules_is_invalid_input() {
    let fakes = Fakes::new();
    let current = fakes.given_session("ada@example.com").await;
    let ada = fakes.users.session(current.session_id).unwrap().user_id();

    let result = fakes
        .change_password()
        .handle(change(ada, current.session_id, Fakes::PASSWORD, "short"))
        .await;

    let Err(ChangePasswordError::InvalidInput(invalid)) = result else {
        panic!("expected invalid input, got {result:?}");
    };
    assert_eq!(invalid.violations[0].field, "newPassword");
}

#[tokio::test]
async fn a_wrong_current_password_counts_as_a_failed_login() {
    let fakes = Fakes::new();
    let current = fakes.given_session("ada@example.com").await;
    let ada = fakes.users.session(current.session_id).unwrap().user_id();
    for _ in 0..Fakes::THROTTLE.max_failures {
        let wrong = change(
            ada,
            current.session_id,
            "not my password",
            "a brand new one",
        );
        let _ = fakes.change_password().handle(wrong).await;
    }

    let result = fakes
        .change_password()
        .handle(change(
            ada,
            current.session_id,
            Fakes::PASSWORD,
            "a brand new one",
        ))
        .await;

    assert!(matches!(result, Err(ChangePasswordError::Throttled(_))));
    assert!(matches!(
        fakes.log_in_with("ada@example.com", Fakes::PASSWORD).await,
        Err(LogInError::Throttled(_))
    ));
}
