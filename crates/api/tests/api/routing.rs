use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::StatusCode;
use rstest::rstest;
use serde_json::Value;

use crate::helpers::{assert_problem, spawn_app};

#[rstest]
#[tokio::test]
async fn health_is_ok(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app.get("/health").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        serde_json::json!({"status": "ok"})
    );
}

#[rstest]
#[tokio::test]
async fn an_unknown_route_is_a_404_problem(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app.get("/api/nothing-here").await;

    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
}

#[rstest]
#[tokio::test]
async fn a_known_path_with_the_wrong_method_is_a_405_problem_naming_the_allowed_ones(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;

    for (method, path, allowed) in [
        (reqwest::Method::DELETE, "/api/users/me", "GET, PUT"),
        (reqwest::Method::GET, "/api/users", "POST"),
        (reqwest::Method::GET, "/api/auth/token", "POST"),
        (reqwest::Method::POST, "/health", "GET"),
    ] {
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["allow"], allowed, "{method} {path}");
        assert_problem(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }
}
