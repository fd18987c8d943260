use accounts_application::ports::UserQueries;
use platform_database::testing::{Backend, Postgres, Sqlite};
use rstest::rstest;
use shared_kernel_domain::{EmailAddress, UserId};

use crate::support::Accounts;

#[rstest]
#[tokio::test]
async fn get_user_reads_the_flat_view(#[values(Sqlite, Postgres)] backend: Backend) {
    let accounts = Accounts::on(backend).await;
    let ada = accounts.given_user("Ada@Example.com").await;

    let view = accounts.queries.get_user(ada.id()).await.unwrap().unwrap();

    assert_eq!(view.id, ada.id());
    assert_eq!(view.email, "Ada@Example.com");
    assert_eq!(view.created_at, ada.created_at());
    assert!(
        accounts
            .queries
            .get_user(UserId::new())
            .await
            .unwrap()
            .is_none()
    );
}

#[rstest]
#[tokio::test]
async fn credentials_are_found_by_email_in_any_case(#[values(Sqlite, Postgres)] backend: Backend) {
    let accounts = Accounts::on(backend).await;
    let ada = accounts.given_user("Ada@Example.com").await;

    let credentials = accounts
        .queries
        .find_credentials(&EmailAddress::parse("aDA@eXAMPLE.COM").unwrap())
        .await
        .unwrap()
        .unwrap();

    assert_eq!(credentials.id, ada.id());
    assert_eq!(&credentials.password_hash, ada.password_hash());
    let nobody = EmailAddress::parse("bob@example.com").unwrap();
    assert!(
        accounts
            .queries
            .find_credentials(&nobody)
            .await
            .unwrap()
            .is_none()
    );
}

#[rstest]
#[tokio::test]
async fn user_exists_tells_known_from_unknown(#[values(Sqlite, Postgres)] backend: Backend) {
    let accounts = Accounts::on(backend).await;
    let ada = accounts.given_user("ada@example.com").await;

    assert!(accounts.queries.user_exists(ada.id()).await.unwrap());
    assert!(!accounts.queries.user_exists(UserId::new()).await.unwrap());
}
