//! Paging through the project and task lists: sizes, cursors, and bad parameters.

use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::StatusCode;
use rstest::rstest;
use serde_json::Value;

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::projects::{complete, id_of, invalid_fields, names};

/// Follows `nextCursor` from the first page of `path` (which has a query already) to the
/// last: every page's items. Between two pages, `between_pages` runs.
pub(crate) async fn walk<F, Fut>(
    app: &TestApp,
    token: &str,
    path: &str,
    key: &str,
    mut between_pages: F,
) -> Vec<Vec<Value>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            None => path.to_owned(),
            Some(cursor) => format!("{path}&cursor={cursor}"),
        };
        let page = app.read(token, &url).await;
        pages.push(page[key].as_array().unwrap().clone());
        match &page["nextCursor"] {
            Value::Null => return pages,
            Value::String(next) => cursor = Some(next.clone()),
            other => panic!("nextCursor must be a string or null: {other}"),
        }
        between_pages().await;
        assert!(pages.len() <= 1_000, "the walk does not end");
    }
}

pub(crate) fn names_in(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect()
}

fn sizes(pages: &[Vec<Value>]) -> Vec<usize> {
    pages.iter().map(Vec::len).collect()
}

/// A user with `count` projects besides the starter one, named "Project 1"….
async fn given_projects(app: &TestApp, count: usize) -> String {
    let (_, token) = app.given_user("ada@example.com").await;
    for n in 1..=count {
        app.create_project(&token, &format!("Project {n}"), None)
            .await;
    }
    token
}

/// A user's new project with `count` tasks, named "Task 1"….
async fn given_tasks(app: &TestApp, count: usize) -> (String, String) {
    let (_, token) = app.given_user("ada@example.com").await;
    let id = id_of(&app.create_project(&token, "Garden", None).await);
    for n in 1..=count {
        let response = app.add_task(&token, &id, &format!("Task {n}")).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    (token, id)
}

fn numbered(prefix: &str, range: std::ops::RangeInclusive<usize>) -> Vec<String> {
    range.map(|n| format!("{prefix} {n}")).collect()
}

#[rstest]
#[tokio::test]
async fn walking_the_project_list_returns_every_project_once_in_order(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let token = given_projects(&app, 5).await;

    let pages = walk(
        &app,
        &token,
        "/api/projects?limit=3",
        "projects",
        || async {},
    )
    .await;

    // Six projects in pages of three: two full pages and no empty third one.
    assert_eq!(sizes(&pages), vec![3, 3]);
    let mut expected = vec!["My first project".to_owned()];
    expected.extend(numbered("Project", 1..=5));
    assert_eq!(names_in(&pages.concat()), expected);
}

#[rstest]
#[tokio::test]
async fn walking_the_project_list_while_projects_are_added_misses_none(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let token = given_projects(&app, 4).await;
    let (app_ref, token_ref) = (&app, token.as_str());
    let mut added = 0;

    // Each page of two takes one project more to walk: the walk still ends.
    let pages = walk(
        &app,
        &token,
        "/api/projects?limit=2",
        "projects",
        move || {
            added += 1;
            let name = format!("Added {added}");
            async move {
                app_ref.create_project(token_ref, &name, None).await;
            }
        },
    )
    .await;

    let walked = pages.concat();
    let mut expected = vec!["My first project".to_owned()];
    expected.extend(numbered("Project", 1..=4));
    expected.extend(numbered("Added", 1..=3));
    assert_eq!(names_in(&walked), expected);
    // Exactly the list as it stands now, once each.
    let now = app.read(&token, "/api/projects?limit=200").await;
    assert_eq!(now["projects"].as_array().unwrap(), &walked);
}

#[rstest]
#[tokio::test]
async fn walking_the_task_list_returns_every_task_once_by_number(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_tasks(&app, 7).await;
    let path = format!("/api/projects/{id}/tasks?limit=3");

    let pages = walk(&app, &token, &path, "tasks", || async {}).await;

    assert_eq!(sizes(&pages), vec![3, 3, 1]);
    let walked = pages.concat();
    assert_eq!(names_in(&walked), numbered("Task", 1..=7));
    let numbers: Vec<u64> = walked
        .iter()
        .map(|t| t["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=7).collect::<Vec<u64>>());
}

#[rstest]
#[tokio::test]
async fn walking_the_task_list_while_tasks_are_added_misses_none(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_tasks(&app, 4).await;
    let path = format!("/api/projects/{id}/tasks?limit=2");
    let (app_ref, token_ref, id_ref) = (&app, token.as_str(), id.as_str());
    let mut added = 0;

    let pages = walk(&app, &token, &path, "tasks", move || {
        added += 1;
        let name = format!("Added {added}");
        async move {
            let response = app_ref.add_task(token_ref, id_ref, &name).await;
            assert_eq!(response.status(), StatusCode::CREATED);
        }
    })
    .await;

    let walked = pages.concat();
    let mut expected = numbered("Task", 1..=4);
    expected.extend(numbered("Added", 1..=2));
    assert_eq!(names_in(&walked), expected);
    let now = app
        .read(&token, &format!("/api/projects/{id}/tasks?limit=200"))
        .await;
    assert_eq!(now["tasks"].as_array().unwrap(), &walked);
}

#[rstest]
#[tokio::test]
async fn a_filtered_list_pages_through_the_matching_items_only(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_tasks(&app, 6).await;
    for number in [2, 3, 6] {
        complete(&app, &token, &id, number).await;
    }

    let completed = walk(
        &app,
        &token,
        &format!("/api/projects/{id}/tasks?status=completed&limit=2"),
        "tasks",
        || async {},
    )
    .await;
    let incomplete = walk(
        &app,
        &token,
        &format!("/api/projects/{id}/tasks?status=incomplete&limit=2"),
        "tasks",
        || async {},
    )
    .await;

    assert_eq!(sizes(&completed), vec![2, 1]);
    assert_eq!(
        names_in(&completed.concat()),
        vec!["Task 2", "Task 3", "Task 6"]
    );
    assert_eq!(sizes(&incomplete), vec![2, 1]);
    assert_eq!(
        names_in(&incomplete.concat()),
        vec!["Task 1", "Task 4", "Task 5"]
    );
}

#[rstest]
#[tokio::test]
async fn a_project_page_holds_50_by_default(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    // The starter project and 50 more.
    let token = given_projects(&app, 50).await;

    let first = app.read(&token, "/api/projects").await;

    assert_eq!(first["projects"].as_array().unwrap().len(), 50);
    let cursor = first["nextCursor"].as_str().unwrap();
    let second = app
        .read(&token, &format!("/api/projects?cursor={cursor}"))
        .await;
    assert_eq!(names(&second, "projects"), vec!["Project 50"]);
    assert_eq!(second["nextCursor"], Value::Null);
}

#[rstest]
#[tokio::test]
async fn a_task_page_holds_50_by_default(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = given_tasks(&app, 51).await;
    let path = format!("/api/projects/{id}/tasks");

    let first = app.read(&token, &path).await;

    assert_eq!(names(&first, "tasks"), numbered("Task", 1..=50));
    let cursor = first["nextCursor"].as_str().unwrap();
    let second = app.read(&token, &format!("{path}?cursor={cursor}")).await;
    assert_eq!(names(&second, "tasks"), vec!["Task 51"]);
    assert_eq!(second["nextCursor"], Value::Null);
}

#[rstest]
#[tokio::test]
async fn a_page_holds_at_most_200(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = given_tasks(&app, 201).await;
    let path = format!("/api/projects/{id}/tasks");

    let first = app.read(&token, &format!("{path}?limit=200")).await;

    assert_eq!(names(&first, "tasks"), numbered("Task", 1..=200));
    let cursor = first["nextCursor"].as_str().unwrap();
    let second = app
        .read(&token, &format!("{path}?limit=200&cursor={cursor}"))
        .await;
    assert_eq!(names(&second, "tasks"), vec!["Task 201"]);
    assert_eq!(second["nextCursor"], Value::Null);
    let too_many = app.get_as(&format!("{path}?limit=201"), &token).await;
    let problem = assert_problem(
        too_many,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(invalid_fields(&problem), vec!["limit"]);
}

#[rstest]
#[tokio::test]
async fn bad_list_parameters_are_422(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = given_tasks(&app, 2).await;

    for list in [
        "/api/projects".to_owned(),
        format!("/api/projects/{id}/tasks"),
    ] {
        for (query, field) in [
            ("limit=0", Some("limit")),
            ("limit=201", Some("limit")),
            ("limit=-1", Some("limit")),
            ("limit=abc", None),
            ("limit=1.5", None),
            ("limit=99999999999999999999", None),
            ("limit=", None),
            ("status=bogus", None),
            ("status=", None),
            ("status=ACTIVE", None),
            ("status=COMPLETED", None),
            ("cursor=", Some("cursor")),
            ("cursor=hello", Some("cursor")),
            ("cursor=p", Some("cursor")),
            ("cursor=t", Some("cursor")),
            ("cursor=t-1", Some("cursor")),
        ] {
            let response = app.get_as(&format!("{list}?{query}"), &token).await;
            let problem = assert_problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
            if let Some(field) = field {
                assert_eq!(invalid_fields(&problem), vec![field], "{list}?{query}");
            }
        }
    }
    // The other list's status values are no better.
    for (list, query) in [
        ("/api/projects".to_owned(), "status=completed"),
        (format!("/api/projects/{id}/tasks"), "status=archived"),
    ] {
        let response = app.get_as(&format!("{list}?{query}"), &token).await;
        assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
}

#[rstest]
#[tokio::test]
async fn a_bad_limit_and_a_bad_cursor_are_both_reported(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;

    let response = app
        .get_as("/api/projects?limit=0&cursor=garbage", &token)
        .await;

    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(invalid_fields(&problem), vec!["limit", "cursor"]);
}

#[rstest]
#[tokio::test]
async fn a_cursor_only_works_on_the_list_that_handed_it_out(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_tasks(&app, 3).await;
    let tasks_path = format!("/api/projects/{id}/tasks");
    let task_page = app.read(&token, &format!("{tasks_path}?limit=1")).await;
    let task_cursor = task_page["nextCursor"].as_str().unwrap().to_owned();
    let project_page = app.read(&token, "/api/projects?limit=1").await;
    let project_cursor = project_page["nextCursor"].as_str().unwrap().to_owned();

    let on_projects = app
        .get_as(&format!("/api/projects?cursor={task_cursor}"), &token)
        .await;
    let on_tasks = app
        .get_as(&format!("{tasks_path}?cursor={project_cursor}"), &token)
        .await;

    for response in [on_projects, on_tasks] {
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(invalid_fields(&problem), vec!["cursor"]);
    }
}

#[rstest]
#[tokio::test]
async fn a_forged_task_cursor_is_never_a_server_error(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_tasks(&app, 2).await;
    let path = format!("/api/projects/{id}/tasks");

    // Looks like a task cursor and fits a u32, but lies past any number a list hands out
    // (above i32::MAX, the largest a stored task number can be).
    for cursor in ["t2147483648", "t4294967295"] {
        let response = app.get_as(&format!("{path}?cursor={cursor}"), &token).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        // Refused as malformed (422) or read as "after the last task" (an empty last page):
        // either is honest; a 500 is not.
        match status {
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert_eq!(body["code"], "validation_failed", "{cursor}: {body}");
                assert_eq!(invalid_fields(&body), vec!["cursor"], "{cursor}");
            }
            StatusCode::OK => {
                assert_eq!(body["tasks"], serde_json::json!([]), "{cursor}");
                assert_eq!(body["nextCursor"], Value::Null, "{cursor}");
            }
            _ => panic!("{cursor}: {status} {body}"),
        }
    }
}
