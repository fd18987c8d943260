//! The activity context over HTTP: every projects event becomes an entry of its project's
//! history, visible as soon as the command's response is sent.

use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::StatusCode;
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

/// Each entry of `page` as `(type, taskNumber, summary)`, with `-` for an entry without a
/// task number (which has no `taskNumber` field at all).
fn told(page: &Value) -> Vec<(String, String, String)> {
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let number = match entry.get("taskNumber") {
                Some(number) => number.to_string(),
                None => "-".to_owned(),
            };
            (
                entry["type"].as_str().unwrap().to_owned(),
                number,
                entry["summary"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn entry(kind: &str, number: &str, summary: &str) -> (String, String, String) {
    (kind.to_owned(), number.to_owned(), summary.to_owned())
}

fn project_activity(project: &str) -> String {
    format!("/api/projects/{project}/activity")
}

impl TestApp {
    async fn complete(&self, token: &str, project: &str, number: u32) -> StatusCode {
        self.put_action(
            token,
            &format!("/api/projects/{project}/tasks/{number}/complete"),
        )
        .await
        .status()
    }
}

#[rstest]
#[tokio::test]
async fn a_projects_history_lists_each_change_newest_first_with_its_task(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Groceries", None).await;
    let id = project["id"].as_str().unwrap();
    assert_eq!(
        app.add_task(&token, id, "Buy milk").await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        app.add_task(&token, id, "Buy bread").await.status(),
        StatusCode::CREATED
    );
    assert_eq!(app.complete(&token, id, 1).await, StatusCode::OK);
    let renamed = app
        .put(
            &token,
            &format!("/api/projects/{id}"),
            &json!({"name": "Shopping"}),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let refused = app
        .put_action(&token, &format!("/api/projects/{id}/archive"))
        .await;
    assert_problem(
        refused,
        StatusCode::CONFLICT,
        "project_has_incomplete_tasks",
    )
    .await;
    assert_eq!(app.complete(&token, id, 2).await, StatusCode::OK);
    let archived = app
        .put_action(&token, &format!("/api/projects/{id}/archive"))
        .await;
    assert_eq!(archived.status(), StatusCode::OK);

    let page = app.read(&token, &project_activity(id)).await;

    assert_eq!(
        told(&page),
        [
            entry("project_archived", "-", "Project “Shopping” was archived"),
            entry("task_completed", "2", "Task 2 “Buy bread” was completed"),
            entry(
                "project_updated",
                "-",
                "Project “Groceries” was renamed to “Shopping”"
            ),
            entry("task_completed", "1", "Task 1 “Buy milk” was completed"),
            entry("task_added", "2", "Task 2 “Buy bread” was added"),
            entry("task_added", "1", "Task 1 “Buy milk” was added"),
            entry("project_created", "-", "Project “Groceries” was created"),
        ]
    );
    assert_eq!(page["nextCursor"], Value::Null);
    let newest = &page["entries"][0];
    assert_eq!(newest["projectId"], project["id"]);
    assert_eq!(newest["occurredAt"], archived_at(&app, &token, id).await);
    assert!(newest["id"].as_str().unwrap().parse::<uuid::Uuid>().is_ok());
}

/// When the project was archived, as the projects context says.
async fn archived_at(app: &TestApp, token: &str, project: &str) -> Value {
    app.read(token, &format!("/api/projects/{project}")).await["archivedAt"].clone()
}

#[rstest]
#[tokio::test]
async fn the_callers_activity_spans_their_projects_the_starter_project_too_but_no_one_elses(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let (_, other) = app.given_user("grace@example.com").await;
    let garden = app.create_project(&token, "Garden", None).await;
    app.create_project(&other, "Theirs", None).await;

    let mine = app.read(&token, "/api/activity").await;

    assert_eq!(
        told(&mine),
        [
            entry("project_created", "-", "Project “Garden” was created"),
            entry(
                "task_added",
                "3",
                "Task 3 “Start using our awesome app” was added"
            ),
            entry("task_added", "2", "Task 2 “Watch the tutorial” was added"),
            entry("task_completed", "1", "Task 1 “Sign up!” was completed"),
            entry("task_added", "1", "Task 1 “Sign up!” was added"),
            entry(
                "project_created",
                "-",
                "Project “My first project” was created"
            ),
        ]
    );
    assert_eq!(mine["entries"][0]["projectId"], garden["id"]);
    let theirs = app.read(&other, "/api/activity").await;
    assert!(
        told(&theirs)
            .iter()
            .all(|(_, _, summary)| !summary.contains("Garden"))
    );
}

#[rstest]
#[tokio::test]
async fn a_deleted_project_leaves_the_callers_activity_and_its_own_is_not_found(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Old", None).await;
    let id = project["id"].as_str().unwrap();
    let archived = app
        .put_action(&token, &format!("/api/projects/{id}/archive"))
        .await;
    assert_eq!(archived.status(), StatusCode::OK);
    let deleted = app.delete_as(&token, &format!("/api/projects/{id}")).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    let response = app.get_as(&project_activity(id), &token).await;
    assert_problem(response, StatusCode::NOT_FOUND, "project_not_found").await;
    let mine = app.read(&token, "/api/activity").await;
    assert!(
        told(&mine)
            .iter()
            .all(|(_, _, summary)| !summary.contains("Old")),
        "{mine}"
    );
}

#[rstest]
#[tokio::test]
async fn another_users_or_an_unknown_project_is_the_same_404_as_the_projects_routes_give(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let (_, other) = app.given_user("grace@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let id = project["id"].as_str().unwrap();
    let unknown = uuid::Uuid::now_v7().to_string();

    for (caller, project) in [(&other, id), (&token, unknown.as_str())] {
        let from_projects = app
            .get_as(&format!("/api/projects/{project}"), caller)
            .await;
        let from_activity = app.get_as(&project_activity(project), caller).await;

        let expected =
            assert_problem(from_projects, StatusCode::NOT_FOUND, "project_not_found").await;
        let body = assert_problem(from_activity, StatusCode::NOT_FOUND, "project_not_found").await;
        assert_eq!(body, expected);
    }
}

#[rstest]
#[tokio::test]
async fn the_activity_routes_need_a_token_a_well_formed_id_and_a_get(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let path = project_activity(project["id"].as_str().unwrap());

    for path in [path.as_str(), "/api/activity"] {
        assert_problem(
            app.get(path).await,
            StatusCode::UNAUTHORIZED,
            "missing_token",
        )
        .await;
        let posted = app.post_as(&token, path, &json!({})).await;
        assert_eq!(posted.headers()["allow"], "GET");
        assert_problem(posted, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    }
    let malformed = app.get_as(&project_activity("not-a-uuid"), &token).await;
    assert_problem(
        malformed,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn activity_pages_walk_every_entry_once_and_refuse_a_bad_limit_or_cursor(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let id = project["id"].as_str().unwrap();
    for name in ["a", "b", "c", "d"] {
        assert_eq!(
            app.add_task(&token, id, name).await.status(),
            StatusCode::CREATED
        );
    }
    let path = project_activity(id);
    let whole = told(&app.read(&token, &path).await);

    let mut walked = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(cursor) => format!("{path}?limit=2&cursor={cursor}"),
            None => format!("{path}?limit=2"),
        };
        let page = app.read(&token, &query).await;
        assert!(page["entries"].as_array().unwrap().len() <= 2);
        walked.extend(told(&page));
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }

    assert_eq!(whole.len(), 5);
    assert_eq!(walked, whole);
    let first = app.read(&token, &format!("{path}?limit=2")).await;
    let from_projects_list = app.read(&token, "/api/projects?limit=1").await;
    for bad in [
        "limit=0".to_owned(),
        "limit=201".to_owned(),
        "limit=abc".to_owned(),
        "cursor=nope".to_owned(),
        // A cursor of another list is not one this list handed out.
        format!(
            "cursor={}",
            from_projects_list["nextCursor"].as_str().unwrap()
        ),
    ] {
        for list in [path.as_str(), "/api/activity"] {
            let response = app.get_as(&format!("{list}?{bad}"), &token).await;
            assert_problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
        }
    }
    let mine = app.read(&token, "/api/activity?limit=1").await;
    let cross = app
        .get_as(
            &format!(
                "/api/activity?cursor={}",
                first["nextCursor"].as_str().unwrap()
            ),
            &token,
        )
        .await;
    assert_problem(cross, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(mine["nextCursor"].is_string());
}

#[rstest]
#[tokio::test]
async fn a_command_that_changes_nothing_adds_no_entry(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", Some(5)).await;
    let id = project["id"].as_str().unwrap();
    app.add_task(&token, id, "Weed").await;
    let before = told(&app.read(&token, &project_activity(id)).await);

    let same_project = app
        .put(
            &token,
            &format!("/api/projects/{id}"),
            &json!({"name": "Garden", "maxIncompleteTasks": 5}),
        )
        .await;
    let same_task = app
        .put(
            &token,
            &format!("/api/projects/{id}/tasks/1"),
            &json!({"name": "Weed"}),
        )
        .await;
    let reopened_open_task = app
        .put_action(&token, &format!("/api/projects/{id}/tasks/1/incomplete"))
        .await;

    assert_eq!(same_project.status(), StatusCode::OK);
    assert_eq!(same_task.status(), StatusCode::OK);
    assert_eq!(reopened_open_task.status(), StatusCode::OK);
    assert_eq!(app.complete(&token, id, 1).await, StatusCode::OK);
    assert_eq!(app.complete(&token, id, 1).await, StatusCode::OK);
    let after = told(&app.read(&token, &project_activity(id)).await);
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    assert_eq!(
        after[0],
        entry("task_completed", "1", "Task 1 “Weed” was completed")
    );
}

#[rstest]
#[tokio::test]
async fn renaming_a_task_and_lifting_a_maximum_are_told_with_the_names_before(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", Some(3)).await;
    let id = project["id"].as_str().unwrap();
    app.add_task(&token, id, "Weed").await;

    let renamed = app
        .put(
            &token,
            &format!("/api/projects/{id}/tasks/1"),
            &json!({"name": "Weed the beds"}),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let lifted = app
        .put(
            &token,
            &format!("/api/projects/{id}"),
            &json!({"name": "Garden"}),
        )
        .await;
    assert_eq!(lifted.status(), StatusCode::OK);
    app.put_action(&token, &format!("/api/projects/{id}/tasks/1/complete"))
        .await;
    app.put_action(&token, &format!("/api/projects/{id}/tasks/1/incomplete"))
        .await;

    let page = app.read(&token, &project_activity(id)).await;

    assert_eq!(
        told(&page)[..4],
        [
            entry("task_reopened", "1", "Task 1 “Weed the beds” was reopened"),
            entry(
                "task_completed",
                "1",
                "Task 1 “Weed the beds” was completed"
            ),
            entry(
                "project_updated",
                "-",
                "Project “Garden” no longer limits its incomplete tasks"
            ),
            entry(
                "task_renamed",
                "1",
                "Task 1 “Weed” was renamed to “Weed the beds”"
            ),
        ]
    );
}
