use accounts_application::ports::SaveUserError;
use platform_database::testing::{Backend, Postgres, Sqlite};
use rstest::rstest;
use shared_kernel_domain::{AggregateRoot, EmailAddress, UserId};

use crate::support::{Accounts, new_user, now};

#[rstest]
#[tokio::test]
async fn a_saved_user_loads_back_whole(#[values(Sqlite, Postgres)] backend: Backend) {
    let accounts = Accounts::on(backend).await;
    let saved = accounts.given_user("Ada@Example.com").await;

    let loaded = accounts
        .begin()
        .await
        .users()
        .get(saved.id())
        .await
        .unwrap()
        .expect("the user");

    assert_eq!(loaded.id(), saved.id());
    assert_eq!(loaded.email().as_str(), "Ada@Example.com");
    assert_eq!(loaded.password_hash(), saved.password_hash());
    assert_eq!(loaded.created_at(), saved.created_at());
    assert!(
        loaded.events().is_empty(),
        "a loaded user has nothing to announce"
    );
}

#[rstest]
#[tokio::test]
async fn an_unknown_id_loads_nothing(#[values(Sqlite, Postgres)] backend: Backend) {
    let accounts = Accounts::on(backend).await;

    let loaded = accounts
        .begin()
        .await
        .users()
        .get(UserId::new())
        .await
        .unwrap();

    assert!(loaded.is_none());
}

#[rstest]
#[tokio::test]
async fn an_email_taken_in_any_case_is_refused(#[values(Sqlite, Postgres)] backend: Backend) {
    let accounts = Accounts::on(backend).await;
    accounts.given_user("ada@example.com").await;

    let unit_of_work = accounts.begin().await;
    let result = unit_of_work
        .users()
        .add(&mut new_user("ADA@example.COM"))
        .await;

    assert!(matches!(result, Err(SaveUserError::EmailTaken)));
}

#[rstest]
#[tokio::test]
async fn an_update_is_saved_and_its_email_stays_unique(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let mut ada = accounts.given_user("ada@example.com").await;
    accounts.given_user("grace@example.com").await;

    ada.change_email(EmailAddress::parse("GRACE@example.com").unwrap(), now());
    let unit_of_work = accounts.begin().await;
    let taken = unit_of_work.users().update(&mut ada).await;
    assert!(matches!(taken, Err(SaveUserError::EmailTaken)));
    drop(unit_of_work);

    ada.change_email(
        EmailAddress::parse("ada.lovelace@example.com").unwrap(),
        now(),
    );
    let unit_of_work = accounts.begin().await;
    unit_of_work.users().update(&mut ada).await.unwrap();
    unit_of_work.commit().await.unwrap();

    let loaded = accounts
        .begin()
        .await
        .users()
        .get(ada.id())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(loaded.email().as_str(), "ada.lovelace@example.com");
}
