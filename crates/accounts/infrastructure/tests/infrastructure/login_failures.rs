use std::net::IpAddr;

use accounts_application::ports::LoginFailures;
use accounts_domain::{ACCOUNT_WINDOW, FailureRecord};
use chrono::{DateTime, Duration, Utc};
use platform_database::testing::{Backend, Postgres, Sqlite};
use rstest::rstest;

use crate::support::{Accounts, now};

const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
const CAFE: IpAddr = IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7));

/// A failed login of ada@example.com from `address` at `at`.
async fn fail(accounts: &Accounts, address: IpAddr, at: DateTime<Utc>) {
    accounts
        .failures
        .add_failure("ada@example.com", address, at)
        .await
        .unwrap();
}

async fn record(accounts: &Accounts, account: &str, address: IpAddr) -> FailureRecord {
    accounts.failures.record_of(account, address).await.unwrap()
}

#[rstest]
#[tokio::test]
async fn failures_count_per_address_in_a_row_and_per_account_in_its_hour(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let start = now();
    for minute in 0..3 {
        let at = start + Duration::minutes(minute);
        fail(&accounts, HOME, at).await;
    }
    fail(&accounts, CAFE, start).await;

    let home = record(&accounts, "ada@example.com", HOME).await;
    assert_eq!(home.consecutive, 3);
    assert_eq!(home.last_failure_at, Some(start + Duration::minutes(2)));
    assert_eq!(home.in_window, 4);
    assert_eq!(home.window_started_at, Some(start));
    let cafe = record(&accounts, "ada@example.com", CAFE).await;
    assert_eq!(cafe.consecutive, 1);
    let other = record(&accounts, "bob@example.com", HOME).await;
    assert_eq!((other.consecutive, other.in_window), (0, 0));
}

#[rstest]
#[tokio::test]
async fn a_success_clears_the_addresss_run_but_not_the_accounts_hour(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    accounts
        .failures
        .add_failure("ada@example.com", HOME, now())
        .await
        .unwrap();
    accounts
        .failures
        .add_failure("ada@example.com", CAFE, now())
        .await
        .unwrap();

    accounts
        .failures
        .clear_consecutive("ada@example.com", HOME)
        .await
        .unwrap();

    let home = record(&accounts, "ada@example.com", HOME).await;
    assert_eq!((home.consecutive, home.last_failure_at), (0, None));
    assert_eq!(home.in_window, 2);
    let cafe = record(&accounts, "ada@example.com", CAFE).await;
    assert_eq!(cafe.consecutive, 1);
}

#[rstest]
#[tokio::test]
async fn the_accounts_hour_starts_over_once_it_has_run_out(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let start = now();
    fail(&accounts, HOME, start).await;
    fail(&accounts, HOME, start).await;

    let later = start + ACCOUNT_WINDOW + Duration::seconds(1);
    fail(&accounts, CAFE, later).await;

    let record = record(&accounts, "ada@example.com", CAFE).await;
    assert_eq!(record.in_window, 1);
    assert_eq!(record.window_started_at, Some(later));
}
