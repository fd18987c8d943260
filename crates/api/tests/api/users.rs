use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::StatusCode;
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_problem, spawn_app};

#[rstest]
#[tokio::test]
async fn registering_answers_201_with_the_user_and_where_to_find_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;

    let response = app.register("  Ada@Example.com ", PASSWORD).await;

    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["location"], "/api/users/me");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["email"], "Ada@Example.com");
    let id = uuid::Uuid::parse_str(body["id"].as_str().unwrap()).unwrap();
    assert_eq!(id.get_version_num(), 7);
    let created_at = body["createdAt"].as_str().unwrap();
    assert!(created_at.ends_with('Z'), "UTC RFC 3339: {created_at}");
    assert_eq!(body.as_object().unwrap().len(), 3, "{body}");
}

#[rstest]
#[tokio::test]
async fn an_email_taken_in_any_case_is_409_and_the_first_account_is_untouched(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.register("ada@example.com", PASSWORD).await;

    let response = app.register("ADA@example.com", "another password").await;

    assert_problem(response, StatusCode::CONFLICT, "email_taken").await;
    app.token_for("ada@example.com", PASSWORD).await;
}

#[rstest]
#[tokio::test]
async fn two_racing_registrations_of_one_address_make_one_account(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;

    let (first, second) = tokio::join!(
        app.register("ada@example.com", PASSWORD),
        app.register("Ada@example.com", PASSWORD)
    );

    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
}

#[rstest]
#[tokio::test]
async fn invalid_input_is_422_naming_every_field_and_stores_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;

    let response = app.register("not-an-email", "short").await;

    let body = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["email", "password"]);
    // Nothing was kept: the address is still free.
    let retry = app.register("ada@example.com", PASSWORD).await;
    assert_eq!(retry.status(), StatusCode::CREATED);
}

#[rstest]
#[tokio::test]
async fn a_password_is_limited_to_72_bytes_not_truncated(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;

    let too_long = app.register("ada@example.com", &"a".repeat(73)).await;
    let body = assert_problem(
        too_long,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "password");

    let at_limit = app.register("ada@example.com", &"a".repeat(72)).await;
    assert_eq!(at_limit.status(), StatusCode::CREATED);
}

#[rstest]
#[tokio::test]
async fn malformed_bodies_are_400_and_missing_fields_422(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let post = |content_type: &'static str, body: &'static str| {
        app.client
            .post(app.url("/api/users"))
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    let not_json = post("application/json", "{\"email\": ").await.unwrap();
    assert_problem(not_json, StatusCode::BAD_REQUEST, "malformed_json").await;

    let wrong_type = post("text/plain", "{}").await.unwrap();
    assert_problem(
        wrong_type,
        StatusCode::BAD_REQUEST,
        "unsupported_content_type",
    )
    .await;

    let missing = post("application/json", "{\"email\": \"ada@example.com\"}")
        .await
        .unwrap();
    let body = assert_problem(
        missing,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "password");

    let mistyped = post("application/json", "{\"email\": 5, \"password\": \"x\"}")
        .await
        .unwrap();
    assert_problem(
        mistyped,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn me_is_the_caller_at_both_paths(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (id, token) = app.given_user("ada@example.com").await;

    for path in ["/api/users/me", "/api/auth/me"] {
        let response = app.get_as(path, &token).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["id"], id.as_str());
        assert_eq!(body["email"], "ada@example.com");
        assert!(body["createdAt"].is_string());
    }
}

#[rstest]
#[tokio::test]
async fn changing_the_email_moves_the_login(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (id, token) = app.given_user("ada@example.com").await;

    let response = app.change_email(&token, "grace@example.com").await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["email"], "grace@example.com");
    app.token_for("grace@example.com", PASSWORD).await;
    let old = app
        .log_in_at(
            "/api/auth/token",
            &[("username", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
}

#[rstest]
#[tokio::test]
async fn changing_to_the_same_email_is_a_no_op(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let before: Value = app
        .get_as("/api/users/me", &token)
        .await
        .json()
        .await
        .unwrap();

    let response = app.change_email(&token, "ada@example.com").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap(), before);
}

#[rstest]
#[tokio::test]
async fn changing_to_a_taken_or_invalid_email_is_refused_and_changes_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    app.given_user("grace@example.com").await;

    let taken = app.change_email(&token, "GRACE@example.com").await;
    assert_problem(taken, StatusCode::CONFLICT, "email_taken").await;

    let invalid = app.change_email(&token, "grace@").await;
    let body = assert_problem(
        invalid,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "email");

    let me: Value = app
        .get_as("/api/users/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "ada@example.com");
}

#[rstest]
#[tokio::test]
async fn changing_the_email_needs_a_token(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .client
        .put(app.url("/api/users/me"))
        .json(&json!({"email": "ada@example.com"}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_problem(response, StatusCode::UNAUTHORIZED, "missing_token").await;
}
