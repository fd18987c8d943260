//! Another user's project answers exactly like one that does not exist, on every route, and
//! stays as it was.

use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::{Response, StatusCode};
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::projects::{complete, given_archived_project, id_of, names};

/// Every route on an existing project.
#[derive(Debug, Clone, Copy)]
enum Route {
    Get,
    Update,
    Delete,
    Archive,
    Unarchive,
    ListTasks,
    AddTask,
    GetTask,
    RenameTask,
    CompleteTask,
    IncompleteTask,
}

/// Ada's projects, each in a state where the route would succeed for her.
struct AdasProjects {
    /// Task 1 completed, task 2 incomplete.
    active: String,
    /// Task 1 completed: ready to be archived.
    done: String,
    archived: String,
}

impl Route {
    /// Which of Ada's projects the route is tried on: one where it would succeed.
    fn target(self, projects: &AdasProjects) -> &str {
        match self {
            Route::Archive => &projects.done,
            Route::Unarchive | Route::Delete => &projects.archived,
            _ => &projects.active,
        }
    }

    async fn send(self, app: &TestApp, token: &str, project: &str) -> Response {
        let path = format!("/api/projects/{project}");
        let name = json!({"name": "Grace was here"});
        match self {
            Route::Get => app.get_as(&path, token).await,
            Route::Update => {
                app.put(
                    token,
                    &path,
                    &json!({"name": "Grace was here", "maxIncompleteTasks": 1}),
                )
                .await
            }
            Route::Delete => app.delete_as(token, &path).await,
            Route::Archive => app.put_action(token, &format!("{path}/archive")).await,
            Route::Unarchive => app.put_action(token, &format!("{path}/unarchive")).await,
            Route::ListTasks => app.get_as(&format!("{path}/tasks"), token).await,
            Route::AddTask => app.post_as(token, &format!("{path}/tasks"), &name).await,
            Route::GetTask => app.get_as(&format!("{path}/tasks/1"), token).await,
            Route::RenameTask => app.put(token, &format!("{path}/tasks/1"), &name).await,
            Route::CompleteTask => {
                app.put_action(token, &format!("{path}/tasks/2/complete"))
                    .await
            }
            Route::IncompleteTask => {
                app.put_action(token, &format!("{path}/tasks/1/incomplete"))
                    .await
            }
        }
    }
}

async fn given_adas_projects(app: &TestApp, token: &str) -> AdasProjects {
    let active = id_of(&app.create_project(token, "Ada's secret plan", None).await);
    for name in ["Secret step one", "Secret step two"] {
        assert_eq!(
            app.add_task(token, &active, name).await.status(),
            StatusCode::CREATED
        );
    }
    complete(app, token, &active, 1).await;
    let done = id_of(&app.create_project(token, "Ada's secret diary", None).await);
    assert_eq!(
        app.add_task(token, &done, "Secret entry").await.status(),
        StatusCode::CREATED
    );
    complete(app, token, &done, 1).await;
    let archived = id_of(&given_archived_project(app, token, "Ada's secret attic").await);
    AdasProjects {
        active,
        done,
        archived,
    }
}

/// Everything Ada can read: her projects, each with its tasks.
async fn adas_view(app: &TestApp, token: &str) -> Vec<(Value, Value)> {
    let list = app.read(token, "/api/projects?limit=200").await;
    let mut view = Vec::new();
    for project in list["projects"].as_array().unwrap() {
        let id = id_of(project);
        let tasks = app
            .read(token, &format!("/api/projects/{id}/tasks?limit=200"))
            .await;
        view.push((project.clone(), tasks));
    }
    view
}

/// Status, content type and body: everything a client could tell two answers apart by.
/// The status, content type and body, byte for byte but for the request's id, which the
/// body ends with (each request has its own).
async fn answer(response: Response) -> (StatusCode, String, String) {
    let status = response.status();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.text().await.unwrap();
    let body = body
        .strip_suffix(&format!(",\"requestId\":\"{request_id}\"}}"))
        .map(|rest| format!("{rest}}}"))
        .unwrap_or(body);
    (status, content_type, body)
}

#[rstest]
#[tokio::test]
async fn another_users_project_answers_like_a_missing_one_and_stays_unchanged(
    #[values(Sqlite, Postgres)] backend: Backend,
    #[values(
        Route::Get,
        Route::Update,
        Route::Delete,
        Route::Archive,
        Route::Unarchive,
        Route::ListTasks,
        Route::AddTask,
        Route::GetTask,
        Route::RenameTask,
        Route::CompleteTask,
        Route::IncompleteTask
    )]
    route: Route,
) {
    let app = spawn_app(backend).await;
    let (_, ada) = app.given_user("ada@example.com").await;
    let (_, grace) = app.given_user("grace@example.com").await;
    let projects = given_adas_projects(&app, &ada).await;
    let before = adas_view(&app, &ada).await;

    let foreign = answer(route.send(&app, &grace, route.target(&projects)).await).await;
    let missing = answer(
        route
            .send(&app, &grace, &uuid::Uuid::now_v7().to_string())
            .await,
    )
    .await;

    assert_eq!(foreign.0, StatusCode::NOT_FOUND, "{route:?}: {foreign:?}");
    assert_eq!(foreign.1, "application/problem+json");
    let body: Value = serde_json::from_str(&foreign.2).unwrap();
    let expected_code = match route {
        Route::GetTask => "task_not_found",
        _ => "project_not_found",
    };
    assert_eq!(body["code"], expected_code, "{route:?}");
    assert_eq!(foreign, missing, "{route:?}");
    assert!(!foreign.2.contains("secret"), "{route:?}: {}", foreign.2);
    assert_eq!(adas_view(&app, &ada).await, before, "{route:?}");
}

#[rstest]
#[tokio::test]
async fn another_users_projects_are_not_listed(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, ada) = app.given_user("ada@example.com").await;
    let (_, grace) = app.given_user("grace@example.com").await;
    given_adas_projects(&app, &ada).await;

    for query in ["", "?status=active", "?status=archived"] {
        let list = app.read(&grace, &format!("/api/projects{query}")).await;
        let expected: Vec<&str> = match query {
            "?status=archived" => vec![],
            _ => vec!["My first project"],
        };
        assert_eq!(names(&list, "projects"), expected, "{query}");
    }
}
