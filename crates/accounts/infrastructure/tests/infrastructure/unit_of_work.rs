use platform_database::testing::{Backend, Postgres, Sqlite};
use rstest::rstest;

use crate::support::{Accounts, new_user};

#[rstest]
#[tokio::test]
async fn events_are_published_only_after_the_commit(#[values(Sqlite, Postgres)] backend: Backend) {
    let accounts = Accounts::on(backend).await;
    let mut user = new_user("ada@example.com");

    let unit_of_work = accounts.begin().await;
    unit_of_work.users().add(&mut user).await.unwrap();
    assert!(accounts.publisher.published().is_empty());

    unit_of_work.commit().await.unwrap();

    assert_eq!(
        accounts.publisher.published(),
        vec!["accounts.UserAccountCreated"]
    );
    assert!(accounts.queries_see(user.id()).await);
}

#[rstest]
#[tokio::test]
async fn a_unit_of_work_dropped_without_commit_rolls_back_and_publishes_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let mut user = new_user("ada@example.com");

    let unit_of_work = accounts.begin().await;
    unit_of_work.users().add(&mut user).await.unwrap();
    drop(unit_of_work);

    assert!(accounts.publisher.published().is_empty());
    assert!(!accounts.queries_see(user.id()).await);
    // The address is free again: nothing of the attempt was kept.
    accounts.given_user("ada@example.com").await;
}

#[rstest]
#[tokio::test]
async fn every_write_of_a_unit_of_work_commits_together(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let (mut ada, mut grace) = (new_user("ada@example.com"), new_user("grace@example.com"));

    let unit_of_work = accounts.begin().await;
    unit_of_work.users().add(&mut ada).await.unwrap();
    unit_of_work.users().add(&mut grace).await.unwrap();
    unit_of_work.commit().await.unwrap();

    assert!(accounts.queries_see(ada.id()).await);
    assert!(accounts.queries_see(grace.id()).await);
    assert_eq!(accounts.publisher.published().len(), 2);
}

impl Accounts {
    async fn queries_see(&self, id: shared_kernel_domain::UserId) -> bool {
        use accounts_application::ports::UserQueries;
        self.queries.user_exists(id).await.unwrap()
    }
}
