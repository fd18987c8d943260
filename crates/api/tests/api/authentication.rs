//! What every authenticated route answers to a token that is not good enough.

use chrono::Utc;
use jsonwebtoken::{EncodingKey, Header};
use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::StatusCode;
use rstest::rstest;
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::helpers::{JWT_SECRET, TestApp, assert_problem, spawn_app, spawn_app_with};

#[derive(Serialize)]
struct Claims<'a> {
    sub: &'a str,
    iat: i64,
    exp: i64,
}

fn sign(claims: &Claims, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn assert_unauthorized(app: &TestApp, token: Option<&str>, code: &str) {
    let mut request = app.client.get(app.url("/api/users/me"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_problem(response, StatusCode::UNAUTHORIZED, code).await;
}

#[rstest]
#[tokio::test]
async fn no_token_is_401_with_a_bearer_challenge(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    assert_unauthorized(&app, None, "missing_token").await;
}

#[rstest]
#[tokio::test]
async fn a_bad_token_is_401_however_it_is_bad(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (id, good) = app.given_user("ada@example.com").await;
    let now = Utc::now().timestamp();

    let malformed = "not-a-token".to_owned();
    let tampered = {
        let (other_id, _) = app.given_user("grace@example.com").await;
        let forged = sign(
            &Claims {
                sub: &other_id,
                iat: now,
                exp: now + 3600,
            },
            JWT_SECRET,
        );
        let mut parts: Vec<&str> = good.split('.').collect();
        parts[1] = forged.split('.').nth(1).unwrap();
        parts.join(".")
    };
    let expired = sign(
        &Claims {
            sub: &id,
            iat: now - 7200,
            exp: now - 3600,
        },
        JWT_SECRET,
    );
    let other_key = sign(
        &Claims {
            sub: &id,
            iat: now,
            exp: now + 3600,
        },
        "another-secret-that-is-at-least-32-bytes-long",
    );
    let unsigned = {
        let claims = sign(
            &Claims {
                sub: &id,
                iat: now,
                exp: now + 3600,
            },
            JWT_SECRET,
        );
        // {"alg":"none","typ":"JWT"}
        format!(
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.",
            claims.split('.').nth(1).unwrap()
        )
    };

    for token in [malformed, tampered, expired, other_key, unsigned] {
        assert_unauthorized(&app, Some(&token), "invalid_token").await;
    }
    // And the good one still works.
    assert_eq!(
        app.get_as("/api/users/me", &good).await.status(),
        StatusCode::OK
    );
}

#[rstest]
#[tokio::test]
async fn the_token_of_a_user_who_no_longer_exists_is_401(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    // Without the authenticator's memory of users it found: every request looks them up.
    let app = spawn_app_with(backend, &[("AUTH_KNOWN_USER_SECONDS", "0")]).await;
    let (_, token) = app.given_user("ada@example.com").await;
    assert_eq!(
        app.get_as("/api/projects", &token).await.status(),
        StatusCode::OK
    );

    app.database
        .execute_unprepared("DELETE FROM accounts_users")
        .await
        .unwrap();

    // A route that reads nothing of the accounts context: only the authenticator can say 401.
    let response = app.get_as("/api/projects", &token).await;
    assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
}

#[rstest]
#[tokio::test]
async fn a_user_found_a_moment_ago_is_trusted_for_the_configured_time(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(backend, &[("AUTH_KNOWN_USER_SECONDS", "3600")]).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let (_, never_used) = app.given_user("bob@example.com").await;
    assert_eq!(
        app.get_as("/api/projects", &token).await.status(),
        StatusCode::OK
    );

    app.database
        .execute_unprepared("DELETE FROM accounts_users")
        .await
        .unwrap();

    // Ada was found by the request above; Bob was never looked up, so he is looked up now.
    assert_eq!(
        app.get_as("/api/projects", &token).await.status(),
        StatusCode::OK
    );
    let response = app.get_as("/api/projects", &never_used).await;
    assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
}
