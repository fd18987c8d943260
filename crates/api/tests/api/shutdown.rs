//! Graceful shutdown of the real binary: SIGTERM with requests in flight, each of them gets a
//! complete answer, what they committed stays, and the process exits 0.

use std::process::Command;
use std::time::Duration;

use platform_database::testing::{Backend, Postgres, Sqlite, TestDatabase};
use reqwest::StatusCode;
use rstest::rstest;
use serde_json::json;

use crate::api_process::{ApiProcess, command, free_port};
use crate::helpers::PASSWORD;
use crate::sql::count;

/// The `api` binary serving on a free loopback port, killed if the test ends first.
async fn start(database: &TestDatabase) -> ApiProcess {
    let port = free_port();
    let env = [
        // Slow enough that logins are still hashing when the signal comes.
        ("BCRYPT_COST", "11"),
        ("SHUTDOWN_TIMEOUT_SECONDS", "60"),
        // Eight such hashes on two hashing threads may queue for longer than the default
        // wait on a busy machine; being refused as overloaded is another test's subject.
        ("QUEUE_TIMEOUT_MS", "60000"),
        ("DATABASE_TIMEOUT_MS", "60000"),
        // On, on a port of its own: its listener must not hold up the exit either.
        ("METRICS_ADDR", "127.0.0.1:0"),
    ];
    ApiProcess::start(command(&database.url, port, &env), port).await
}

#[rstest]
#[tokio::test]
async fn sigterm_lets_the_requests_in_flight_finish_and_exits_zero(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let database = TestDatabase::create(backend).await;
    let mut server = start(&database).await;
    let client = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", server.address);
    let registered = client
        .post(url("/api/users"))
        .json(&json!({"email": "ada@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::CREATED);

    let logins = (0..4).map(|_| {
        client
            .post(url("/api/auth/token"))
            .form(&[("username", "ada@example.com"), ("password", PASSWORD)])
            .send()
    });
    let registrations = (0..4).map(|n| {
        client
            .post(url("/api/users"))
            .json(&json!({"email": format!("user{n}@example.com"), "password": PASSWORD}))
            .send()
    });
    let in_flight = tokio::spawn(futures_util::future::join_all(
        logins.chain(registrations).collect::<Vec<_>>(),
    ));
    // Long enough for every request to be accepted, far shorter than its eight hashes take.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());

    let answers = in_flight.await.unwrap();
    for answer in &answers {
        let status = answer.as_ref().expect("a complete answer").status();
        assert!(status.is_success(), "{status}");
    }
    let exit = tokio::task::spawn_blocking(move || server.child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "{exit}");

    let database = sea_orm::Database::connect(&database.url).await.unwrap();
    let users = count(&database, "SELECT COUNT(*) FROM accounts_users").await;
    assert_eq!(users, 5, "every registration that was answered is there");
    let sessions = count(&database, "SELECT COUNT(*) FROM accounts_sessions").await;
    assert_eq!(sessions, 4, "every login that was answered is there");
}
