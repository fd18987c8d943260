//! Tasks people use, as a client meets them: a description, a due date, a priority and
//! labels on every task; partial updates with a JSON merge patch; filters, sorts and pages on
//! a project's tasks and on all the caller's tasks (`GET /api/tasks`).

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use futures_util::future::join_all;
use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::{Response, StatusCode};
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::pagination::{names_in, walk};
use crate::sql::{eventually, query};

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn in_days(days: i64) -> String {
    rfc3339(Utc::now() + Duration::days(days))
}

impl TestApp {
    async fn patch_task(&self, token: &str, path: &str, body: &str) -> Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .header("content-type", "application/merge-patch+json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
    }

    /// Adds a task with `body` to `project`, expecting 201.
    async fn given_task(&self, token: &str, project: &str, body: Value) -> Value {
        let response = self
            .post_as(token, &format!("/api/projects/{project}/tasks"), &body)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{body}");
        response.json().await.unwrap()
    }
}

/// Every task a list answers, following `nextCursor` from `path` (which has a query).
async fn every_task(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    walk(app, token, path, "tasks", || async {}).await.concat()
}

async fn given_user_and_project(app: &TestApp) -> (String, String) {
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Home", None).await;
    (token, project["id"].as_str().unwrap().to_owned())
}

#[rstest]
#[tokio::test]
async fn a_task_is_added_with_every_field_and_reads_back_alike(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_user_and_project(&app).await;

    let added = app
        .given_task(
            &token,
            &project,
            json!({
                "name": "Buy milk",
                "description": "Oat, not soy.\n\tTwo litres.",
                "dueAt": "2030-12-24T18:30:00.123456789+01:00",
                "priority": "high",
                "labels": ["Shop", "home", "HOME"],
            }),
        )
        .await;

    assert_eq!(added["description"], "Oat, not soy.\n\tTwo litres.");
    // In UTC, with `Z`, to the microsecond.
    assert_eq!(added["dueAt"], "2030-12-24T17:30:00.123456Z");
    assert_eq!(added["priority"], "high");
    assert_eq!(added["labels"], json!(["home", "shop"]));
    assert_eq!(added["overdue"], false);
    assert_eq!(added["updatedAt"], added["createdAt"]);
    let read = app
        .read(&token, &format!("/api/projects/{project}/tasks/1"))
        .await;
    assert_eq!(read, added);
}

#[rstest]
#[tokio::test]
async fn invalid_fields_are_422_each_named_and_nothing_is_added(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_user_and_project(&app).await;
    let path = format!("/api/projects/{project}/tasks");

    for (body, field) in [
        (
            json!({"name": "a", "description": "x".repeat(10_001)}),
            "description",
        ),
        (
            json!({"name": "a", "description": "bell\u{7}"}),
            "description",
        ),
        (json!({"name": "a", "labels": ["two words"]}), "labels"),
        (json!({"name": "a", "labels": ["x".repeat(33)]}), "labels"),
        (
            json!({"name": "a", "labels": (0..11).map(|n| format!("l{n}")).collect::<Vec<_>>()}),
            "labels",
        ),
    ] {
        let response = app.post_as(&token, &path, &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    for body in [
        json!({"name": "a", "priority": "critical"}),
        json!({"name": "a", "dueAt": "tomorrow"}),
        json!({"name": "a", "dueAt": "2026-12-24"}),
    ] {
        let response = app.post_as(&token, &path, &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
    let page = app.read(&token, &path).await;
    assert_eq!(page["tasks"], json!([]));
}

#[rstest]
#[tokio::test]
async fn a_merge_patch_sets_clears_and_keeps_fields(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, project) = given_user_and_project(&app).await;
    let added = app
        .given_task(
            &token,
            &project,
            json!({"name": "Buy milk", "description": "Oat", "dueAt": in_days(3),
                   "priority": "low", "labels": ["home"]}),
        )
        .await;
    let path = format!("/api/projects/{project}/tasks/1");

    // A value sets a field, `null` clears one, an absent member stays.
    let response = app
        .patch_task(&token, &path, r#"{"priority": "urgent", "dueAt": null}"#)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let patched: Value = response.json().await.unwrap();
    assert_eq!(patched["priority"], "urgent");
    assert_eq!(patched["dueAt"], Value::Null);
    assert_eq!(patched["description"], "Oat");
    assert_eq!(patched["labels"], json!(["home"]));
    assert_eq!(patched["name"], "Buy milk");
    assert_ne!(patched["updatedAt"], added["updatedAt"]);
    assert_eq!(app.read(&token, &path).await, patched);

    // `null` puts the priority back to none and takes every label off.
    let cleared: Value = app
        .patch_task(
            &token,
            &path,
            r#"{"priority": null, "labels": null, "description": null, "name": "Buy oat milk"}"#,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["priority"], "none");
    assert_eq!(cleared["labels"], json!([]));
    assert_eq!(cleared["description"], Value::Null);
    assert_eq!(cleared["name"], "Buy oat milk");

    // An empty patch changes nothing, not even the entity tag or `updatedAt`.
    let before = app.get_as(&path, &token).await;
    let before_tag = before.headers()["etag"].to_str().unwrap().to_owned();
    let before: Value = before.json().await.unwrap();
    let empty = app.patch_task(&token, &path, "{}").await;
    assert_eq!(empty.status(), StatusCode::OK);
    assert_eq!(empty.headers()["etag"].to_str().unwrap(), before_tag);
    assert_eq!(empty.json::<Value>().await.unwrap(), before);
    assert_ne!(before_tag, etag);
}

#[rstest]
#[tokio::test]
async fn a_bad_patch_is_refused_and_changes_nothing(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, project) = given_user_and_project(&app).await;
    app.given_task(
        &token,
        &project,
        json!({"name": "Buy milk", "priority": "low"}),
    )
    .await;
    let path = format!("/api/projects/{project}/tasks/1");
    let before = app.read(&token, &path).await;

    let unknown = app
        .patch_task(&token, &path, r#"{"priority": "high", "colour": "red"}"#)
        .await;
    let problem = assert_problem(
        unknown,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "colour");
    let null_name = app.patch_task(&token, &path, r#"{"name": null}"#).await;
    let problem = assert_problem(
        null_name,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "name");
    let bad_value = app
        .patch_task(&token, &path, r#"{"labels": ["a b"], "priority": "high"}"#)
        .await;
    assert_problem(
        bad_value,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let not_a_merge_patch = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&token)
        .json(&json!({"priority": "high"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        not_a_merge_patch.headers()["accept-patch"],
        "application/merge-patch+json"
    );
    assert_problem(
        not_a_merge_patch,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_content_type",
    )
    .await;
    for media_type in [Some("text/plain"), None] {
        let mut request = app
            .client
            .patch(app.url(&path))
            .bearer_auth(&token)
            .body(r#"{"priority": "high"}"#);
        if let Some(media_type) = media_type {
            request = request.header("content-type", media_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{media_type:?}"
        );
        assert_eq!(
            response.headers()["accept-patch"],
            "application/merge-patch+json"
        );
    }
    let stale = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&token)
        .header("content-type", "application/merge-patch+json")
        .header("if-match", "\"stale\"")
        .body(r#"{"priority": "high"}"#)
        .send()
        .await
        .unwrap();
    assert_problem(
        stale,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    )
    .await;
    let unknown_task = app
        .patch_task(&token, &format!("/api/projects/{project}/tasks/9"), "{}")
        .await;
    assert_problem(unknown_task, StatusCode::NOT_FOUND, "task_not_found").await;

    assert_eq!(app.read(&token, &path).await, before);
}

#[rstest]
#[tokio::test]
async fn an_archived_project_s_task_cannot_be_patched(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_user_and_project(&app).await;
    app.given_task(&token, &project, json!({"name": "Buy milk"}))
        .await;
    let task = format!("/api/projects/{project}/tasks/1");
    app.put_action(&token, &format!("{task}/complete")).await;
    let archived = app
        .put_action(&token, &format!("/api/projects/{project}/archive"))
        .await;
    assert_eq!(archived.status(), StatusCode::OK);

    for patch in [r#"{"priority": "high"}"#, "{}"] {
        let response = app.patch_task(&token, &task, patch).await;
        assert_problem(response, StatusCode::CONFLICT, "project_archived").await;
    }
}

#[rstest]
#[tokio::test]
async fn the_activity_tells_of_each_update(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, project) = given_user_and_project(&app).await;
    app.given_task(&token, &project, json!({"name": "Buy milk"}))
        .await;
    let path = format!("/api/projects/{project}/tasks/1");
    app.patch_task(
        &token,
        &path,
        r#"{"dueAt": "2026-12-24T10:00:00Z", "priority": "urgent"}"#,
    )
    .await;

    let activity = format!("/api/projects/{project}/activity");
    let entry = eventually("the update is in the activity", || async {
        let page = app.read(&token, &activity).await;
        page["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["type"] == "task_updated")
            .cloned()
    })
    .await;
    assert_eq!(
        entry["summary"],
        "Task 1 “Buy milk” was given a due date of 2026-12-24 and was given the priority urgent"
    );
    assert_eq!(entry["taskNumber"], 1);
}

#[rstest]
#[tokio::test]
async fn a_task_s_etag_changes_when_it_becomes_overdue(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_user_and_project(&app).await;
    let due = Utc::now() + Duration::milliseconds(1500);
    app.given_task(
        &token,
        &project,
        json!({"name": "Call back", "dueAt": rfc3339(due)}),
    )
    .await;
    let path = format!("/api/projects/{project}/tasks/1");
    let before = app.get_as(&path, &token).await;
    let tag = before.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(before.json::<Value>().await.unwrap()["overdue"], false);

    tokio::time::sleep(
        (due - Utc::now()).to_std().unwrap_or_default() + std::time::Duration::from_millis(50),
    )
    .await;

    let after = app.get_as(&path, &token).await;
    assert_ne!(after.headers()["etag"].to_str().unwrap(), tag);
    assert_eq!(after.json::<Value>().await.unwrap()["overdue"], true);
    let revalidated = app
        .client
        .get(app.url(&path))
        .bearer_auth(&token)
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), StatusCode::OK);
}

/// A project with tasks for every filter (as the HTTP client adds them), and a second project.
async fn given_tasks_to_filter(app: &TestApp) -> (String, String, String) {
    let (token, home) = given_user_and_project(app).await;
    for task in [
        json!({"name": "Buy milk", "description": "Oat", "dueAt": in_days(-2), "priority": "high", "labels": ["home", "shop"]}),
        json!({"name": "Call the bank", "dueAt": in_days(1), "priority": "urgent", "labels": ["work"]}),
        json!({"name": "Write the report"}),
        json!({"name": "Water plants", "description": "Balcony and KITCHEN", "dueAt": in_days(-1), "priority": "low", "labels": ["home"]}),
        json!({"name": "Sort photos", "dueAt": in_days(10), "priority": "high", "labels": ["home", "someday"]}),
    ] {
        app.given_task(&token, &home, task).await;
    }
    let done = app
        .put_action(&token, &format!("/api/projects/{home}/tasks/4/complete"))
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let work = app.create_project(&token, "Work", None).await;
    let work = work["id"].as_str().unwrap().to_owned();
    app.given_task(
        &token,
        &work,
        json!({"name": "Pay rent", "dueAt": in_days(3), "priority": "medium", "labels": ["home"]}),
    )
    .await;
    (token, home, work)
}

#[rstest]
#[tokio::test]
async fn a_project_s_tasks_filter_and_sort_as_asked(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, home, _) = given_tasks_to_filter(&app).await;
    let list = |query: &str| {
        let app = &app;
        let token = token.clone();
        let path = format!("/api/projects/{home}/tasks?{query}");
        async move { names_in(&every_task(app, &token, &path).await).join(" | ") }
    };

    assert_eq!(
        list("label=home&sort=-priority").await,
        "Buy milk | Sort photos | Water plants"
    );
    assert_eq!(list("label=HOME&label=someday").await, "Sort photos");
    assert_eq!(
        list("priority=high,urgent").await,
        "Buy milk | Call the bank | Sort photos"
    );
    assert_eq!(list("overdue=true").await, "Buy milk");
    assert_eq!(
        list("overdue=false").await,
        "Call the bank | Write the report | Water plants | Sort photos"
    );
    assert_eq!(list("status=completed").await, "Water plants");
    assert_eq!(
        list("status=incomplete&sort=dueAt").await,
        "Buy milk | Call the bank | Sort photos | Write the report"
    );
    assert_eq!(list("q=KITCHEN").await, "Water plants");
    assert_eq!(list("q=milk&sort=-priority").await, "Buy milk");
    let now = rfc3339(Utc::now()).replace('+', "%2B");
    assert_eq!(
        list(&format!("dueBefore={now}")).await,
        "Buy milk | Water plants"
    );
    assert_eq!(
        list(&format!("dueAfter={now}")).await,
        "Call the bank | Sort photos"
    );
    assert_eq!(
        list("sort=-updatedAt&limit=2").await,
        "Water plants | Sort photos | Write the report | Call the bank | Buy milk"
    );
    assert_eq!(
        list("sort=createdAt&limit=1").await,
        "Buy milk | Call the bank | Write the report | Water plants | Sort photos"
    );
}

#[rstest]
#[tokio::test]
async fn all_tasks_span_the_caller_s_projects_incomplete_by_due_date(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, home, work) = given_tasks_to_filter(&app).await;
    // Another user's tasks are never in the list.
    let (_, stranger) = app.given_user("eve@example.com").await;
    let theirs = app.create_project(&stranger, "Eve's", None).await;
    app.given_task(
        &stranger,
        theirs["id"].as_str().unwrap(),
        json!({"name": "Eve's task", "dueAt": in_days(-3)}),
    )
    .await;

    let page = app.read(&token, "/api/tasks").await;
    let tasks = page["tasks"].as_array().unwrap();
    // The starter project's incomplete tasks have no due date: they come last.
    let first: Vec<(&str, &str)> = tasks[..4]
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap(),
                t["projectId"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [
            ("Buy milk", home.as_str()),
            ("Call the bank", home.as_str()),
            ("Pay rent", work.as_str()),
            ("Sort photos", home.as_str()),
        ]
    );
    assert!(tasks.iter().all(|t| t["completedAt"].is_null()));
    assert!(names_in(tasks).iter().all(|name| name != "Eve's task"));

    let overdue = every_task(&app, &token, "/api/tasks?overdue=true").await;
    assert_eq!(names_in(&overdue), ["Buy milk"]);
    let walked = every_task(&app, &token, "/api/tasks?sort=dueAt&limit=2").await;
    assert_eq!(
        walked,
        every_task(&app, &token, "/api/tasks?sort=dueAt&limit=200").await
    );
    let at_home = every_task(&app, &token, "/api/tasks?label=home&sort=-priority").await;
    assert_eq!(names_in(&at_home), ["Buy milk", "Sort photos", "Pay rent"]);

    // An archived project's tasks leave the list.
    for number in [1, 2, 3, 5] {
        app.put_action(
            &token,
            &format!("/api/projects/{home}/tasks/{number}/complete"),
        )
        .await;
    }
    let archived = app
        .put_action(&token, &format!("/api/projects/{home}/archive"))
        .await;
    assert_eq!(archived.status(), StatusCode::OK);
    let all = every_task(&app, &token, "/api/tasks?status=all&limit=200").await;
    assert!(all.iter().all(|t| t["projectId"] != home.as_str()));
    assert!(names_in(&all).iter().any(|name| name == "Pay rent"));
}

#[rstest]
#[tokio::test]
async fn every_sort_s_pages_see_each_task_once_while_tasks_are_added(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_user_and_project(&app).await;
    let priorities = ["none", "low", "medium", "high", "urgent"];
    for n in 0..12 {
        let mut task = json!({"name": format!("t{n:02}"), "priority": priorities[n % 5]});
        if n % 3 != 0 {
            task["dueAt"] = json!(in_days(i64::try_from(n).unwrap() % 4 - 2));
        }
        app.given_task(&token, &project, task).await;
    }

    for sort in ["number", "dueAt", "-priority", "createdAt", "-updatedAt"] {
        let path = format!("/api/projects/{project}/tasks?sort={sort}&limit=3");
        let added = std::cell::Cell::new(0);
        // Another client adds a task between every two pages this one reads.
        let pages = walk(&app, &token, &path, "tasks", || {
            let name = format!("{sort} {}", added.get());
            added.set(added.get() + 1);
            let (app, token, project) = (&app, &token, &project);
            async move {
                let task = json!({"name": name, "priority": "medium"});
                app.given_task(token, project, task).await;
            }
        })
        .await;
        let seen = names_in(&pages.concat());
        let mut originals: Vec<&String> = seen.iter().filter(|n| n.starts_with('t')).collect();
        let count = originals.len();
        originals.sort();
        originals.dedup();
        assert_eq!(
            originals.len(),
            count,
            "{sort}: a task was seen twice: {seen:?}"
        );
        assert_eq!(count, 12, "{sort}: a task was missed: {seen:?}");
        let mut all = seen.clone();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), seen.len(), "{sort}: {seen:?}");
    }
}

#[rstest]
#[tokio::test]
async fn a_bad_parameter_is_422_under_its_own_name(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, project) = given_user_and_project(&app).await;
    let tasks = format!("/api/projects/{project}/tasks");

    for (path, field) in [
        (format!("{tasks}?limit=abc"), "limit"),
        (format!("{tasks}?limit=0"), "limit"),
        (format!("{tasks}?status=maybe"), "status"),
        (format!("{tasks}?priority=high,critical"), "priority"),
        (format!("{tasks}?label=a%20b"), "label"),
        (format!("{tasks}?dueBefore=tomorrow"), "dueBefore"),
        (format!("{tasks}?dueAfter=2026-13-01T00:00:00Z"), "dueAfter"),
        (format!("{tasks}?overdue=yes"), "overdue"),
        (format!("{tasks}?q="), "q"),
        (format!("{tasks}?q={}", "x".repeat(201)), "q"),
        (format!("{tasks}?sort=name"), "sort"),
        (format!("{tasks}?cursor=t5"), "cursor"),
        ("/api/tasks?sort=priority".to_owned(), "sort"),
        ("/api/projects?limit=abc".to_owned(), "limit"),
        ("/api/projects?status=gone".to_owned(), "status"),
        (format!("/api/projects/{project}/activity?limit=x"), "limit"),
    ] {
        let response = app.get_as(&path, &token).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{path}: {problem}");
    }
}

#[rstest]
#[tokio::test]
async fn a_cursor_is_refused_with_other_filters_or_another_sort(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_user_and_project(&app).await;
    join_all((0..3).map(|n| {
        app.given_task(
            &token,
            &project,
            json!({"name": format!("t{n}"), "labels": ["home"]}),
        )
    }))
    .await;
    let tasks = format!("/api/projects/{project}/tasks");
    let page = app
        .read(&token, &format!("{tasks}?label=home&limit=1"))
        .await;
    let cursor = page["nextCursor"].as_str().unwrap().to_owned();

    let same = app
        .get_as(
            &format!("{tasks}?label=home&limit=1&cursor={cursor}"),
            &token,
        )
        .await;
    assert_eq!(same.status(), StatusCode::OK);
    for other in [
        format!("{tasks}?limit=1&cursor={cursor}"),
        format!("{tasks}?label=home&sort=dueAt&cursor={cursor}"),
        format!("{tasks}?label=home&priority=high&cursor={cursor}"),
        format!("/api/tasks?label=home&status=all&limit=1&cursor={cursor}"),
    ] {
        let response = app.get_as(&other, &token).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "cursor", "{other}");
    }
}

#[rstest]
#[tokio::test]
async fn existing_tasks_read_back_with_no_details(#[values(Sqlite, Postgres)] backend: Backend) {
    // The starter project's tasks are written as any task is; rows from before the migration
    // read as they do, checked here on the columns themselves.
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let rows = query(
        &app.database,
        "SELECT COUNT(*) FROM projects_tasks WHERE description IS NULL AND due_at IS NULL \
         AND priority = 0 AND labels = '' AND updated_at IS NOT NULL",
        vec![],
    )
    .await;
    assert_eq!(rows[0].try_get_by_index::<i64>(0).unwrap(), 3);
    let all = every_task(&app, &token, "/api/tasks?status=all").await;
    assert_eq!(all.len(), 3);
    for task in &all {
        assert_eq!(task["priority"], "none");
        assert_eq!(task["labels"], json!([]));
        assert_eq!(task["dueAt"], Value::Null);
    }
}
