//! The abuse limits over HTTP: failed logins per account and address (in the database),
//! password-grant attempts and registrations per address (in memory), and the client address
//! behind trusted proxies.

use std::sync::Arc;
use std::time::Duration;

use platform_database::testing::{Backend, Postgres, Sqlite, TestDatabase};
use reqwest::{Response, StatusCode};
use rstest::rstest;

use crate::helpers::{PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_on, spawn_app_with};

impl TestApp {
    /// A password-grant login for `email`, sent with `X-Forwarded-For: forwarded_for`.
    async fn log_in_via(&self, email: &str, password: &str, forwarded_for: &str) -> Response {
        self.client
            .post(self.url("/api/auth/token"))
            .header("x-forwarded-for", forwarded_for)
            .form(&[("username", email), ("password", password)])
            .send()
            .await
            .unwrap()
    }

    async fn fail_logins(&self, email: &str, times: usize, forwarded_for: &str) {
        for _ in 0..times {
            let response = self
                .log_in_via(email, "wrong password", forwarded_for)
                .await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
    }
}

/// Asserts a 429 problem with every header a client needs, and returns `Retry-After`.
async fn assert_too_many(response: Response, policy: &str) -> u64 {
    let headers = response.headers().clone();
    assert_problem(response, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    let retry_after: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after >= 1);
    let policy_header = headers["ratelimit-policy"].to_str().unwrap();
    assert!(
        policy_header.starts_with(&format!("\"{policy}\";q=")),
        "{policy_header}"
    );
    assert_eq!(
        headers["ratelimit"].to_str().unwrap(),
        format!("\"{policy}\";r=0;t={retry_after}")
    );
    retry_after
}

#[rstest]
#[tokio::test]
async fn after_five_failures_the_right_password_waits_then_works(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.register("ada@example.com", PASSWORD).await;
    app.fail_logins("ada@example.com", 5, "").await;
    // A sixth wrong password, at once: refused before it is tried, or counted if a second
    // has passed; either way the right one must now wait.
    let sixth = app
        .log_in_via("ada@example.com", "wrong password", "")
        .await;
    assert!(matches!(
        sixth.status(),
        StatusCode::TOO_MANY_REQUESTS | StatusCode::UNAUTHORIZED
    ));

    let right = app.log_in_via("ada@example.com", PASSWORD, "").await;
    let wait = assert_too_many(right, "login-failures").await;

    tokio::time::sleep(Duration::from_secs(wait)).await;
    let right = app.log_in_via("ada@example.com", PASSWORD, "").await;
    assert_eq!(right.status(), StatusCode::OK);
}

#[rstest]
#[tokio::test]
async fn an_unknown_email_is_throttled_exactly_like_a_known_one(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.register("ada@example.com", PASSWORD).await;
    app.fail_logins("ada@example.com", 5, "").await;
    app.fail_logins("nobody@example.com", 5, "").await;

    let known = app.log_in_via("ada@example.com", PASSWORD, "").await;
    let unknown = app.log_in_via("nobody@example.com", PASSWORD, "").await;

    let header_names = |response: &Response| {
        let mut names: Vec<String> = response.headers().keys().map(|k| k.to_string()).collect();
        names.retain(|name| name != "date");
        names.sort();
        names
    };
    assert_eq!(header_names(&known), header_names(&unknown));
    assert_too_many(known, "login-failures").await;
    assert_too_many(unknown, "login-failures").await;
}

#[rstest]
#[tokio::test]
async fn a_second_address_behind_a_trusted_proxy_is_not_blocked_by_the_first(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(backend, &[("TRUSTED_PROXIES", "127.0.0.0/8")]).await;
    app.register("ada@example.com", PASSWORD).await;
    app.fail_logins("ada@example.com", 5, "198.51.100.1").await;

    let first = app
        .log_in_via("ada@example.com", PASSWORD, "198.51.100.1")
        .await;
    let second = app
        .log_in_via("ada@example.com", PASSWORD, "198.51.100.2")
        .await;

    assert_too_many(first, "login-failures").await;
    assert_eq!(second.status(), StatusCode::OK);
}

#[rstest]
#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.register("ada@example.com", PASSWORD).await;
    for host in 1..=5 {
        app.fail_logins("ada@example.com", 1, &format!("203.0.113.{host}"))
            .await;
    }

    let spoofed = app
        .log_in_via("ada@example.com", PASSWORD, "203.0.113.99")
        .await;

    assert_too_many(spoofed, "login-failures").await;
}

#[rstest]
#[tokio::test]
async fn failed_logins_are_remembered_across_a_restart(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let database = Arc::new(TestDatabase::create(backend).await);
    let app = spawn_app_on(database.clone(), &[]).await;
    app.register("ada@example.com", PASSWORD).await;
    app.fail_logins("ada@example.com", 5, "").await;

    let restarted = spawn_app_on(database, &[]).await;
    let right = restarted.log_in_via("ada@example.com", PASSWORD, "").await;

    assert_too_many(right, "login-failures").await;
}

#[rstest]
#[tokio::test]
async fn the_account_takes_at_most_its_hourly_failures_from_any_address(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        &[
            ("TRUSTED_PROXIES", "127.0.0.1"),
            ("LOGIN_MAX_FAILURES_PER_HOUR", "3"),
        ],
    )
    .await;
    app.register("ada@example.com", PASSWORD).await;
    for host in 1..=3 {
        app.fail_logins("ada@example.com", 1, &format!("198.51.100.{host}"))
            .await;
    }

    let elsewhere = app
        .log_in_via("ada@example.com", PASSWORD, "192.0.2.50")
        .await;

    let wait = assert_too_many(elsewhere, "account-failures").await;
    assert!(wait > 3000, "until the hour is over: {wait}");
}

#[rstest]
#[tokio::test]
async fn an_address_gets_its_login_quota_per_minute_and_refreshes_do_not_count(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(backend, &[("LOGIN_RATE_PER_MINUTE", "3")]).await;
    app.register("ada@example.com", PASSWORD).await;
    let mut refresh_token = String::new();
    for _ in 0..3 {
        let response = app.log_in_via("ada@example.com", PASSWORD, "").await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: serde_json::Value = response.json().await.unwrap();
        refresh_token = body["refresh_token"].as_str().unwrap().to_owned();
    }

    let fourth = app.log_in_via("ada@example.com", PASSWORD, "").await;
    assert_too_many(fourth, "login").await;
    let unknown = app.log_in_via("nobody@example.com", PASSWORD, "").await;
    assert_too_many(unknown, "login").await;

    for _ in 0..5 {
        let refreshed = app
            .log_in_at(
                "/api/auth/token",
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &refresh_token),
                ],
            )
            .await;
        assert_eq!(refreshed.status(), StatusCode::OK);
        let body: serde_json::Value = refreshed.json().await.unwrap();
        refresh_token = body["refresh_token"].as_str().unwrap().to_owned();
    }
}

#[rstest]
#[tokio::test]
async fn registrations_per_address_are_limited_and_zero_turns_a_limit_off(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(backend, &[("REGISTER_RATE_PER_HOUR", "2")]).await;
    for n in 0..2 {
        let response = app
            .register(&format!("user{n}@example.com"), PASSWORD)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let third = app.register("user2@example.com", PASSWORD).await;
    assert_too_many(third, "register").await;
    let count = crate::sql::count(&app.database, "SELECT COUNT(*) FROM accounts_users").await;
    assert_eq!(count, 2, "the refused registration changed nothing");

    let unlimited = spawn_app_with(
        backend,
        &[("REGISTER_RATE_PER_HOUR", "0"), ("LOGIN_MAX_FAILURES", "0")],
    )
    .await;
    for n in 0..25 {
        let response = unlimited
            .register(&format!("user{n}@example.com"), PASSWORD)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    unlimited.fail_logins("user0@example.com", 8, "").await;
    let right = unlimited
        .log_in_via("user0@example.com", PASSWORD, "")
        .await;
    assert_eq!(right.status(), StatusCode::OK);
}
