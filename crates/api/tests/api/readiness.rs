//! `GET /ready`: 200 while the database answers and every migration is applied, a 503 problem
//! naming the failing check otherwise; `/health` does not look at the database at all.

use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::StatusCode;
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};
use crate::sql::execute;

#[rstest]
#[tokio::test]
async fn a_running_server_with_its_schema_is_ready(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app.get("/ready").await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"status": "ready", "checks": {"database": "ok", "migrations": "ok", "shutdown": "ok"}})
    );
}

#[rstest]
#[tokio::test]
async fn a_migration_that_is_not_applied_makes_it_not_ready_but_alive(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    // As if the schema were one migration behind this binary.
    let forgotten = execute(
        &app.database,
        "DELETE FROM seaql_migrations WHERE version = 'm20261201_000007_create_login_failures'",
        vec![],
    )
    .await;
    assert_eq!(forgotten, 1);

    let body = assert_problem(
        app.get("/ready").await,
        StatusCode::SERVICE_UNAVAILABLE,
        "not_ready",
    )
    .await;

    assert!(
        body["detail"].as_str().unwrap().starts_with("migrations:"),
        "{body}"
    );
    assert_eq!(app.get("/health").await.status(), StatusCode::OK);
}

#[rstest]
#[tokio::test]
async fn a_migration_of_a_newer_release_leaves_it_ready(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    // What the release step of the next release leaves while this one's instances still
    // serve, during a rolling deploy: an applied migration this binary does not know.
    let recorded = execute(
        &app.database,
        "INSERT INTO seaql_migrations (version, applied_at) \
         VALUES ('m29991231_000001_of_a_newer_release', 0)",
        vec![],
    )
    .await;
    assert_eq!(recorded, 1);

    let response = app.get("/ready").await;

    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["checks"]["migrations"], "ok", "{body}");
}
