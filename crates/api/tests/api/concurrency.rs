//! Real parallel HTTP requests on one project: no duplicate numbers, no lost tasks, never
//! more incomplete tasks than the maximum, and every request that could succeed does.

use futures_util::future::join_all;
use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::{RequestBuilder, StatusCode};
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn new_project(app: &TestApp, token: &str, max: Option<u32>) -> String {
    let response = app
        .client
        .post(app.url("/api/projects"))
        .bearer_auth(token)
        .json(&json!({"name": "Busy", "maxIncompleteTasks": max}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Sends every request at once and returns each answer's status and body, in order.
async fn send_all(requests: impl Iterator<Item = RequestBuilder>) -> Vec<(StatusCode, Value)> {
    join_all(requests.map(|request| async move {
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json::<Value>().await.unwrap())
    }))
    .await
}

/// Sends `count` task additions at once.
async fn add_in_parallel(
    app: &TestApp,
    token: &str,
    project: &str,
    count: usize,
) -> Vec<(StatusCode, Value)> {
    let url = app.url(&format!("/api/projects/{project}/tasks"));
    send_all((0..count).map(|i| {
        app.client
            .post(&url)
            .bearer_auth(token)
            .json(&json!({"name": format!("task {i}")}))
    }))
    .await
}

async fn task_numbers(app: &TestApp, token: &str, project: &str) -> Vec<u64> {
    let page: Value = app
        .read(token, &format!("/api/projects/{project}/tasks?limit=200"))
        .await;
    page["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_u64().unwrap())
        .collect()
}

#[rstest]
#[tokio::test]
async fn forty_parallel_additions_under_a_maximum_of_25_make_exactly_25_tasks(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = new_project(&app, &token, Some(25)).await;

    let answers = add_in_parallel(&app, &token, &project, 40).await;

    let created = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let refused: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(created, 25, "{answers:?}");
    assert_eq!(refused.len(), 15, "{answers:?}");
    assert!(
        refused
            .iter()
            .all(|b| b["code"] == "too_many_incomplete_tasks")
    );
    assert_eq!(
        task_numbers(&app, &token, &project).await,
        (1..=25).collect::<Vec<_>>()
    );
    let view: Value = app.read(&token, &format!("/api/projects/{project}")).await;
    assert_eq!(view["incompleteTaskCount"], 25);
    assert_eq!(view["taskCount"], 25);
}

#[rstest]
#[tokio::test]
async fn sixty_parallel_additions_without_a_maximum_all_succeed_numbered_1_to_60(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = new_project(&app, &token, None).await;

    let answers = add_in_parallel(&app, &token, &project, 60).await;

    assert!(
        answers.iter().all(|(s, _)| *s == StatusCode::CREATED),
        "{answers:?}"
    );
    let mut answered: Vec<u64> = answers
        .iter()
        .map(|(_, body)| body["number"].as_u64().unwrap())
        .collect();
    answered.sort_unstable();
    assert_eq!(answered, (1..=60).collect::<Vec<_>>());
    assert_eq!(
        task_numbers(&app, &token, &project).await,
        (1..=60).collect::<Vec<_>>()
    );
}

/// Sends `PUT …/tasks/{n}/{action}` for every number at once.
async fn flip_in_parallel(
    app: &TestApp,
    token: &str,
    project: &str,
    numbers: impl Iterator<Item = u64>,
    action: &str,
) -> Vec<(StatusCode, Value)> {
    send_all(numbers.map(|n| {
        app.client
            .put(app.url(&format!("/api/projects/{project}/tasks/{n}/{action}")))
            .bearer_auth(token)
    }))
    .await
}

/// The project's counters are kept by its commands (ADR 0012), not counted from the tasks:
/// parallel reopenings must leave them equal to the tasks and within the maximum.
#[rstest]
#[tokio::test]
async fn twelve_parallel_reopenings_under_a_maximum_of_5_reopen_exactly_5(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = new_project(&app, &token, Some(5)).await;
    for batch in [1..=5, 6..=10, 11..=12] {
        let size = batch.clone().count();
        let added = add_in_parallel(&app, &token, &project, size).await;
        assert!(added.iter().all(|(s, _)| *s == StatusCode::CREATED));
        let done = flip_in_parallel(&app, &token, &project, batch, "complete").await;
        assert!(done.iter().all(|(s, _)| *s == StatusCode::OK), "{done:?}");
    }

    let answers = flip_in_parallel(&app, &token, &project, 1..=12, "incomplete").await;

    let reopened = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let refused = answers
        .iter()
        .filter(|(s, body)| {
            *s == StatusCode::CONFLICT && body["code"] == "too_many_incomplete_tasks"
        })
        .count();
    assert_eq!((reopened, refused), (5, 7), "{answers:?}");
    let page: Value = app
        .read(&token, &format!("/api/projects/{project}/tasks?limit=200"))
        .await;
    let incomplete = page["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["completedAt"].is_null())
        .count();
    assert_eq!(incomplete, 5);
    let view: Value = app.read(&token, &format!("/api/projects/{project}")).await;
    assert_eq!(view["incompleteTaskCount"], 5);
    assert_eq!(view["taskCount"], 12);
}
