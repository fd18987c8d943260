use std::net::IpAddr;

use accounts_application::ports::LoginFailures;
use accounts_domain::ACCOUNT_WINDOW;
use chrono::Duration;
use platform_database::testing::{Backend, Postgres, Sqlite};
use rstest::rstest;

use crate::support::{Accounts, now};

const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
const CAFE: IpAddr = IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7));

#[rstest]
#[tokio::test]
async fn failures_count_per_address_in_a_row_and_per_account_in_its_hour(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let start = now();
    for minute in 0..3 {
        let at = start + Duration::minutes(minute);
        accounts
            .failures
            .add_failure("ada@example.com", HOME, at)
            .await
            .unwrap();
    }
    accounts
        .failures
        .add_failure("ada@example.com", CAFE, start)
        .await
        .unwrap();

    let home = accounts
        .failures
        .record_of("ada@example.com", HOME)
        .await
        .unwrap();
    assert_eq!(home.consecutive, 3);
    assert_eq!(home.last_failure_at, Some(start + Duration::minutes(2)));
    assert_eq!(home.in_window, 4);
    assert_eq!(home.window_started_at, Some(start));
    let cafe = accounts
        .failures
        .record_of("ada@example.com", CAFE)
        .await
        .unwrap();
    assert_eq!(cafe.consecutive, 1);
    let other = accounts
        .failures
        .record_of("bob@example.com", HOME)
        .await
        .unwrap();
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

    let home = accounts
        .failures
        .record_of("ada@example.com", HOME)
        .await
        .unwrap();
    assert_eq!((home.consecutive, home.last_failure_at), (0, None));
    assert_eq!(home.in_window, 2);
    let cafe = accounts
        .failures
        .record_of("ada@example.com", CAFE)
        .await
        .unwrap();
    assert_eq!(cafe.consecutive, 1);
}

#[rstest]
#[tokio::test]
async fn the_accounts_hour_starts_over_once_it_has_run_out(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let accounts = Accounts::on(backend).await;
    let start = now();
    accounts
        .failures
        .add_failure("ada@example.com", HOME, start)
        .await
        .unwrap();
    accounts
        .failures
        .add_failure("ada@example.com", HOME, start)
        .await
        .unwrap();

    let later = start + ACCOUNT_WINDOW + Duration::seconds(1);
    accounts
        .failures
        .add_failure("ada@example.com", CAFE, later)
        .await
        .unwrap();

    let record = accounts
        .failures
        .record_of("ada@example.com", CAFE)
        .await
        .unwrap();
    assert_eq!(record.in_window, 1);
    assert_eq!(record.window_started_at, Some(later));
}
