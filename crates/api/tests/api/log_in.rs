use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::StatusCode;
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_problem, spawn_app};

#[rstest]
#[tokio::test]
async fn both_token_paths_issue_a_bearer_token_that_works(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.register("ada@example.com", PASSWORD).await;

    for path in ["/api/auth/token", "/api/users/login"] {
        let response = app
            .log_in_at(
                path,
                &[
                    ("username", "ADA@example.com"),
                    ("password", PASSWORD),
                    ("grant_type", "password"),
                ],
            )
            .await;

        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "bearer");
        assert_eq!(body["expires_in"], 900, "15 minutes by default");
        assert!(body["refresh_token"].as_str().unwrap().len() >= 43);
        let token = body["access_token"].as_str().unwrap();
        let me = app.get_as("/api/users/me", token).await;
        assert_eq!(me.status(), StatusCode::OK);
    }
}

#[rstest]
#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_401(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.register("ada@example.com", PASSWORD).await;

    let wrong_password = app
        .log_in_at(
            "/api/auth/token",
            &[
                ("username", "ada@example.com"),
                ("password", "wrong password"),
            ],
        )
        .await;
    let unknown_email = app
        .log_in_at(
            "/api/auth/token",
            &[("username", "bob@example.com"), ("password", PASSWORD)],
        )
        .await;

    let wrong = assert_problem(
        wrong_password,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let unknown = assert_problem(
        unknown_email,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(wrong, unknown);
}

#[rstest]
#[tokio::test]
async fn missing_or_malformed_fields_are_422_never_500(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;

    let missing_password = app
        .log_in_at("/api/auth/token", &[("username", "ada@example.com")])
        .await;
    let body = assert_problem(
        missing_password,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "password");

    let other_grant = app
        .log_in_at(
            "/api/auth/token",
            &[
                ("username", "ada@example.com"),
                ("password", PASSWORD),
                ("grant_type", "client_credentials"),
            ],
        )
        .await;
    let body = assert_problem(
        other_grant,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "grant_type");

    let malformed_email = app
        .log_in_at(
            "/api/auth/token",
            &[("username", "not an email"), ("password", PASSWORD)],
        )
        .await;
    assert_problem(
        malformed_email,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;

    let json_body = app
        .client
        .post(app.url("/api/auth/token"))
        .json(&json!({"username": "ada@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_problem(
        json_body,
        StatusCode::BAD_REQUEST,
        "unsupported_content_type",
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn a_password_past_bcrypts_72_bytes_never_logs_in(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let exactly_72 = "p".repeat(72);
    app.register("ada@example.com", &exactly_72).await;

    // bcrypt would read only the first 72 bytes of this and call it a match.
    let longer = format!("{exactly_72}extra");
    let response = app
        .log_in_at(
            "/api/auth/token",
            &[("username", "ada@example.com"), ("password", &longer)],
        )
        .await;

    assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    app.token_for("ada@example.com", &exactly_72).await;
}

/// What Swagger UI's "Authorize" button sends for the OAuth2 password flow: the form with an
/// empty scope and client id, and client credentials as HTTP Basic.
#[rstest]
#[tokio::test]
async fn swagger_uis_password_flow_request_gets_a_usable_token(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.register("ada@example.com", PASSWORD).await;

    let response = app
        .client
        .post(app.url("/api/auth/token"))
        .header("Accept", "application/json, text/plain, */*")
        .header("X-Requested-With", "XMLHttpRequest")
        .basic_auth("", Some(""))
        .form(&[
            ("grant_type", "password"),
            ("username", "ada@example.com"),
            ("password", PASSWORD),
            ("scope", ""),
            ("client_id", ""),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(
        app.get_as("/api/users/me", token).await.status(),
        StatusCode::OK
    );
}
