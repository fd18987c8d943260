//! The project routes: create, read, list, update, archive, unarchive and delete.

use chrono::{DateTime, SubsecRound, Utc};
use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::StatusCode;
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

/// The current time as the server's clock reads it (microseconds), for "between" checks.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A timestamp field: RFC 3339 in UTC, written with a `Z`.
pub(crate) fn timestamp(value: &Value) -> DateTime<Utc> {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("a timestamp: {value}"));
    assert!(text.ends_with('Z'), "UTC RFC 3339: {text}");
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|error| panic!("{text}: {error}"))
        .with_timezone(&Utc)
}

pub(crate) fn id_of(project: &Value) -> String {
    project["id"].as_str().unwrap().to_owned()
}

/// The names of the projects a page lists, in order.
pub(crate) fn names(page: &Value, key: &str) -> Vec<String> {
    page[key]
        .as_array()
        .unwrap_or_else(|| panic!("a list of {key}: {page}"))
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Completes task `number` of `project`, expecting 200.
pub(crate) async fn complete(app: &TestApp, token: &str, project: &str, number: u32) -> Value {
    let response = app
        .put_action(
            token,
            &format!("/api/projects/{project}/tasks/{number}/complete"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// A project named `name` with one completed task, archived.
pub(crate) async fn given_archived_project(app: &TestApp, token: &str, name: &str) -> Value {
    let project = app.create_project(token, name, None).await;
    let id = id_of(&project);
    assert_eq!(
        app.add_task(token, &id, "Done already").await.status(),
        StatusCode::CREATED
    );
    complete(app, token, &id, 1).await;
    let response = app
        .put_action(token, &format!("/api/projects/{id}/archive"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// The fields of a validation problem, in order.
pub(crate) fn invalid_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("a list of errors: {problem}"))
        .iter()
        .map(|error| error["field"].as_str().unwrap().to_owned())
        .collect()
}

#[rstest]
#[tokio::test]
async fn creating_a_project_answers_201_with_it_and_where_to_find_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let before = now();

    let response = app
        .post_as(
            &token,
            "/api/projects",
            &json!({"name": "  Garden  ", "maxIncompleteTasks": 5}),
        )
        .await;

    let after = now();
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let body: Value = response.json().await.unwrap();
    let id = uuid::Uuid::parse_str(body["id"].as_str().unwrap()).unwrap();
    assert_eq!(id.get_version_num(), 7);
    assert_eq!(location, format!("/api/projects/{id}"));
    assert_eq!(body["name"], "Garden");
    assert_eq!(body["maxIncompleteTasks"], 5);
    assert_eq!(body["taskCount"], 0);
    assert_eq!(body["incompleteTaskCount"], 0);
    assert_eq!(body["archivedAt"], Value::Null);
    let created_at = timestamp(&body["createdAt"]);
    assert!(before <= created_at && created_at <= after, "{created_at}");
    assert_eq!(body.as_object().unwrap().len(), 7, "{body}");
    // The Location leads to the same project.
    assert_eq!(app.read(&token, &location).await, body);
}

#[rstest]
#[tokio::test]
async fn a_project_without_a_maximum_has_a_null_one(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;

    let absent = app
        .post_as(&token, "/api/projects", &json!({"name": "Absent"}))
        .await;
    let null = app
        .post_as(
            &token,
            "/api/projects",
            &json!({"name": "Null", "maxIncompleteTasks": null}),
        )
        .await;

    for response in [absent, null] {
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["maxIncompleteTasks"], Value::Null, "{body}");
        let stored = app
            .read(&token, &format!("/api/projects/{}", id_of(&body)))
            .await;
        assert_eq!(stored["maxIncompleteTasks"], Value::Null, "{stored}");
    }
}

#[rstest]
#[tokio::test]
async fn invalid_project_fields_are_422_naming_each_and_store_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let too_long = "x".repeat(101);

    for (body, fields) in [
        (
            json!({"name": "   ", "maxIncompleteTasks": 0}),
            vec!["name", "maxIncompleteTasks"],
        ),
        (json!({"name": ""}), vec!["name"]),
        (json!({"name": too_long}), vec!["name"]),
        (
            json!({"name": "Garden", "maxIncompleteTasks": 10_001}),
            vec!["maxIncompleteTasks"],
        ),
        (
            json!({"name": "Garden", "maxIncompleteTasks": -1}),
            vec!["maxIncompleteTasks"],
        ),
    ] {
        let response = app.post_as(&token, "/api/projects", &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(invalid_fields(&problem), fields, "{body}");
    }

    let list = app.read(&token, "/api/projects").await;
    assert_eq!(names(&list, "projects"), vec!["My first project"]);
}

#[rstest]
#[tokio::test]
async fn names_of_1_to_100_characters_and_maximums_of_1_to_10000_are_accepted(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let longest = "é".repeat(100);

    let shortest = app.create_project(&token, "x", Some(1)).await;
    let long = app.create_project(&token, &longest, Some(10_000)).await;

    assert_eq!(shortest["name"], "x");
    assert_eq!(shortest["maxIncompleteTasks"], 1);
    let stored = app
        .read(&token, &format!("/api/projects/{}", id_of(&long)))
        .await;
    assert_eq!(stored["name"], longest.as_str());
    assert_eq!(stored["maxIncompleteTasks"], 10_000);
}

#[rstest]
#[tokio::test]
async fn a_maximum_written_as_a_whole_float_is_that_integer(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;

    // JSON Schema counts 5.0 and 5e0 as the integer 5, and so may a generated client.
    for (body, expected) in [
        (r#"{"name": "Garden", "maxIncompleteTasks": 5.0}"#, 5),
        (r#"{"name": "Kitchen", "maxIncompleteTasks": 7e0}"#, 7),
    ] {
        let response = app
            .client
            .post(app.url("/api/projects"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "{body}");
        let project: Value = response.json().await.unwrap();
        assert_eq!(project["maxIncompleteTasks"], expected);
    }
}

#[rstest]
#[tokio::test]
async fn malformed_project_bodies_are_400_and_mistyped_or_missing_fields_422(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let post = |body: &'static str| {
        app.client
            .post(app.url("/api/projects"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    let not_json = post("{\"name\": ").await.unwrap();
    assert_problem(not_json, StatusCode::BAD_REQUEST, "malformed_json").await;

    let missing = post("{\"maxIncompleteTasks\": 3}").await.unwrap();
    let problem = assert_problem(
        missing,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(invalid_fields(&problem), vec!["name"]);

    for mistyped in [
        "{\"name\": 5}",
        "{\"name\": \"Garden\", \"maxIncompleteTasks\": \"5\"}",
        "{\"name\": \"Garden\", \"maxIncompleteTasks\": 2.5}",
        // The document says a body is an object; serde alone would read these as the fields.
        "[\"Garden\", 3]",
        "\"Garden\"",
    ] {
        let response = post(mistyped).await.unwrap();
        assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }

    let list = app.read(&token, "/api/projects").await;
    assert_eq!(names(&list, "projects"), vec!["My first project"]);
}

#[rstest]
#[tokio::test]
async fn a_project_is_read_by_its_id(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", Some(3)).await;
    let id = id_of(&project);
    app.add_task(&token, &id, "Water").await;
    app.add_task(&token, &id, "Weed").await;
    complete(&app, &token, &id, 2).await;

    let read = app.read(&token, &format!("/api/projects/{id}")).await;

    assert_eq!(read["id"], id.as_str());
    assert_eq!(read["name"], "Garden");
    assert_eq!(read["maxIncompleteTasks"], 3);
    assert_eq!(read["taskCount"], 2);
    assert_eq!(read["incompleteTaskCount"], 1);
    assert_eq!(read["archivedAt"], Value::Null);
    assert_eq!(read["createdAt"], project["createdAt"]);
    assert_eq!(read.as_object().unwrap().len(), 7, "{read}");
}

#[rstest]
#[tokio::test]
async fn an_unknown_project_is_404_and_a_malformed_id_422(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;

    let unknown = app
        .get_as(&format!("/api/projects/{}", uuid::Uuid::now_v7()), &token)
        .await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "project_not_found").await;

    let malformed = app.get_as("/api/projects/not-a-uuid", &token).await;
    assert_problem(
        malformed,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    // The document says `format: uuid`: the hyphenated form only, in either case, though
    // the uuid crate would read the others as the same id.
    let project = app.create_project(&token, "Garden", None).await;
    let id = uuid::Uuid::parse_str(&id_of(&project)).unwrap();
    let upper = app
        .get_as(
            &format!(
                "/api/projects/{}",
                id.hyphenated().to_string().to_uppercase()
            ),
            &token,
        )
        .await;
    assert_eq!(upper.status(), StatusCode::OK);
    for other_form in [
        id.simple().to_string(),
        id.braced().to_string(),
        id.urn().to_string(),
    ] {
        let response = app
            .get_as(&format!("/api/projects/{other_form}"), &token)
            .await;
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
async fn every_new_user_starts_with_the_example_project(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let me = app.read(&token, "/api/users/me").await;
    let registered_at = timestamp(&me["createdAt"]);

    let list = app.read(&token, "/api/projects").await;

    assert_eq!(list["nextCursor"], Value::Null);
    let projects = list["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 1, "{list}");
    let project = &projects[0];
    assert_eq!(project["name"], "My first project");
    assert_eq!(project["maxIncompleteTasks"], Value::Null);
    assert_eq!(project["taskCount"], 3);
    assert_eq!(project["incompleteTaskCount"], 2);
    assert_eq!(project["archivedAt"], Value::Null);
    let id = id_of(project);
    let tasks = app.read(&token, &format!("/api/projects/{id}/tasks")).await;
    assert_eq!(tasks["nextCursor"], Value::Null);
    let tasks = tasks["tasks"].as_array().unwrap();
    let summary: Vec<(u64, &str, bool)> = tasks
        .iter()
        .map(|t| {
            (
                t["number"].as_u64().unwrap(),
                t["name"].as_str().unwrap(),
                !t["completedAt"].is_null(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, "Sign up!", true),
            (2, "Watch the tutorial", false),
            (3, "Start using our awesome app", false),
        ]
    );
    let signed_up = timestamp(&tasks[0]["completedAt"]);
    assert!(
        registered_at <= signed_up && signed_up <= now(),
        "registered {registered_at}, signed up {signed_up}"
    );
}

#[rstest]
#[tokio::test]
async fn the_list_holds_active_and_archived_projects_in_creation_order(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let garden = app.create_project(&token, "Garden", None).await;
    let archived = given_archived_project(&app, &token, "Attic").await;
    app.create_project(&token, "Kitchen", Some(2)).await;

    let list = app.read(&token, "/api/projects").await;

    assert_eq!(
        names(&list, "projects"),
        vec!["My first project", "Garden", "Attic", "Kitchen"]
    );
    assert_eq!(list["nextCursor"], Value::Null);
    assert_eq!(list.as_object().unwrap().len(), 2, "{list}");
    // Each entry is the project as GET shows it.
    assert_eq!(list["projects"][1], garden);
    assert_eq!(list["projects"][2], archived);
}

#[rstest]
#[tokio::test]
async fn the_list_filters_by_status(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    app.create_project(&token, "Garden", None).await;
    given_archived_project(&app, &token, "Attic").await;
    given_archived_project(&app, &token, "Cellar").await;

    let active = app.read(&token, "/api/projects?status=active").await;
    let archived = app.read(&token, "/api/projects?status=archived").await;

    assert_eq!(
        names(&active, "projects"),
        vec!["My first project", "Garden"]
    );
    assert_eq!(names(&archived, "projects"), vec!["Attic", "Cellar"]);
    assert!(
        archived["projects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["archivedAt"].is_string())
    );
}

#[rstest]
#[tokio::test]
async fn the_list_holds_only_the_callers_projects(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, ada) = app.given_user("ada@example.com").await;
    let (_, grace) = app.given_user("grace@example.com").await;
    app.create_project(&ada, "Ada's garden", None).await;
    app.create_project(&grace, "Grace's compiler", None).await;

    let list = app.read(&ada, "/api/projects").await;

    assert_eq!(
        names(&list, "projects"),
        vec!["My first project", "Ada's garden"]
    );
}

#[rstest]
#[tokio::test]
async fn updating_renames_and_sets_the_maximum(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let id = id_of(&project);
    app.add_task(&token, &id, "Water").await;
    let path = format!("/api/projects/{id}");

    let response = app
        .put(
            &token,
            &path,
            &json!({"name": "  Vegetable garden ", "maxIncompleteTasks": 4}),
        )
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["name"], "Vegetable garden");
    assert_eq!(body["maxIncompleteTasks"], 4);
    assert_eq!(body["taskCount"], 1);
    assert_eq!(body["incompleteTaskCount"], 1);
    assert_eq!(body["archivedAt"], Value::Null);
    assert_eq!(body["createdAt"], project["createdAt"]);
    assert_eq!(app.read(&token, &path).await, body);
}

#[rstest]
#[tokio::test]
async fn updating_without_a_maximum_lifts_it(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", Some(1)).await;
    let id = id_of(&project);
    let path = format!("/api/projects/{id}");
    app.add_task(&token, &id, "Water").await;

    let response = app.put(&token, &path, &json!({"name": "Garden"})).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["maxIncompleteTasks"], Value::Null);
    assert_eq!(
        app.read(&token, &path).await["maxIncompleteTasks"],
        Value::Null
    );
    // No maximum any more: a second incomplete task fits.
    assert_eq!(
        app.add_task(&token, &id, "Weed").await.status(),
        StatusCode::CREATED
    );
}

#[rstest]
#[tokio::test]
async fn an_invalid_update_is_422_and_changes_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", Some(3)).await;
    let path = format!("/api/projects/{}", id_of(&project));

    let response = app
        .put(
            &token,
            &path,
            &json!({"name": " ", "maxIncompleteTasks": 10_001}),
        )
        .await;

    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(invalid_fields(&problem), vec!["name", "maxIncompleteTasks"]);
    assert_eq!(app.read(&token, &path).await, project);
}

#[rstest]
#[tokio::test]
async fn an_archived_project_cannot_be_updated(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = given_archived_project(&app, &token, "Attic").await;
    let path = format!("/api/projects/{}", id_of(&project));

    let response = app
        .put(
            &token,
            &path,
            &json!({"name": "Renamed", "maxIncompleteTasks": 2}),
        )
        .await;

    assert_problem(response, StatusCode::CONFLICT, "project_archived").await;
    assert_eq!(app.read(&token, &path).await, project);
}

#[rstest]
#[tokio::test]
async fn the_maximum_cannot_go_below_the_incomplete_tasks(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let id = id_of(&project);
    let path = format!("/api/projects/{id}");
    for name in ["Water", "Weed", "Harvest"] {
        app.add_task(&token, &id, name).await;
    }
    complete(&app, &token, &id, 3).await;
    let before = app.read(&token, &path).await;

    let below = app
        .put(
            &token,
            &path,
            &json!({"name": "Renamed", "maxIncompleteTasks": 1}),
        )
        .await;

    assert_problem(
        below,
        StatusCode::CONFLICT,
        "max_incomplete_tasks_below_incomplete_count",
    )
    .await;
    assert_eq!(app.read(&token, &path).await, before);
    // Exactly the incomplete count is allowed: completed tasks do not count.
    let equal = app
        .put(
            &token,
            &path,
            &json!({"name": "Garden", "maxIncompleteTasks": 2}),
        )
        .await;
    assert_eq!(equal.status(), StatusCode::OK);
    assert_eq!(
        equal.json::<Value>().await.unwrap()["maxIncompleteTasks"],
        2
    );
}

#[rstest]
#[tokio::test]
async fn archiving_a_project_whose_tasks_are_all_done_stamps_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let id = id_of(&project);
    app.add_task(&token, &id, "Water").await;
    complete(&app, &token, &id, 1).await;
    let before = now();

    let response = app
        .put_action(&token, &format!("/api/projects/{id}/archive"))
        .await;

    let after = now();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let archived_at = timestamp(&body["archivedAt"]);
    assert!(
        before <= archived_at && archived_at <= after,
        "{archived_at}"
    );
    assert_eq!(body["name"], "Garden");
    assert_eq!(body["taskCount"], 1);
    assert_eq!(body["incompleteTaskCount"], 0);
    assert_eq!(app.read(&token, &format!("/api/projects/{id}")).await, body);
}

#[rstest]
#[tokio::test]
async fn a_project_without_tasks_can_be_archived(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Empty", None).await;

    let response = app
        .put_action(
            &token,
            &format!("/api/projects/{}/archive", id_of(&project)),
        )
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.json::<Value>().await.unwrap()["archivedAt"].is_string());
}

#[rstest]
#[tokio::test]
async fn a_project_with_incomplete_tasks_cannot_be_archived(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let id = id_of(&project);
    app.add_task(&token, &id, "Water").await;
    app.add_task(&token, &id, "Weed").await;
    complete(&app, &token, &id, 1).await;
    let path = format!("/api/projects/{id}");
    let before = app.read(&token, &path).await;

    let response = app.put_action(&token, &format!("{path}/archive")).await;

    assert_problem(
        response,
        StatusCode::CONFLICT,
        "project_has_incomplete_tasks",
    )
    .await;
    let after = app.read(&token, &path).await;
    assert_eq!(after, before);
    assert_eq!(after["archivedAt"], Value::Null);
}

#[rstest]
#[tokio::test]
async fn archiving_an_archived_project_is_409_and_keeps_the_first_date(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = given_archived_project(&app, &token, "Attic").await;
    let path = format!("/api/projects/{}", id_of(&project));

    let response = app.put_action(&token, &format!("{path}/archive")).await;

    assert_problem(response, StatusCode::CONFLICT, "project_archived").await;
    assert_eq!(app.read(&token, &path).await, project);
}

#[rstest]
#[tokio::test]
async fn unarchiving_makes_the_project_active_again(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = given_archived_project(&app, &token, "Attic").await;
    let id = id_of(&project);
    let path = format!("/api/projects/{id}");

    let response = app.put_action(&token, &format!("{path}/unarchive")).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["archivedAt"], Value::Null);
    assert_eq!(body["name"], "Attic");
    assert_eq!(body["taskCount"], 1);
    assert_eq!(body["createdAt"], project["createdAt"]);
    assert_eq!(app.read(&token, &path).await, body);
    // Active again: it takes tasks and shows among the active projects.
    assert_eq!(
        app.add_task(&token, &id, "Sort boxes").await.status(),
        StatusCode::CREATED
    );
    let active = app.read(&token, "/api/projects?status=active").await;
    assert_eq!(
        names(&active, "projects"),
        vec!["My first project", "Attic"]
    );
}

#[rstest]
#[tokio::test]
async fn unarchiving_an_active_project_is_409(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let path = format!("/api/projects/{}", id_of(&project));

    let response = app.put_action(&token, &format!("{path}/unarchive")).await;

    assert_problem(response, StatusCode::CONFLICT, "project_not_archived").await;
    assert_eq!(app.read(&token, &path).await, project);
}

#[rstest]
#[tokio::test]
async fn deleting_an_archived_project_answers_204_and_it_is_gone_from_every_read(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = given_archived_project(&app, &token, "Attic").await;
    let path = format!("/api/projects/{}", id_of(&project));

    let response = app.delete_as(&token, &path).await;

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.bytes().await.unwrap().is_empty());
    let read = app.get_as(&path, &token).await;
    assert_problem(read, StatusCode::NOT_FOUND, "project_not_found").await;
    for query in ["", "?status=archived", "?status=active"] {
        let list = app.read(&token, &format!("/api/projects{query}")).await;
        assert!(
            !names(&list, "projects").contains(&"Attic".to_owned()),
            "{query}: {list}"
        );
    }
    let tasks = app.get_as(&format!("{path}/tasks"), &token).await;
    assert_problem(tasks, StatusCode::NOT_FOUND, "project_not_found").await;
    let task = app.get_as(&format!("{path}/tasks/1"), &token).await;
    assert_problem(task, StatusCode::NOT_FOUND, "task_not_found").await;
}

#[rstest]
#[tokio::test]
async fn a_deleted_project_refuses_every_command_with_404(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = given_archived_project(&app, &token, "Attic").await;
    let path = format!("/api/projects/{}", id_of(&project));
    assert_eq!(
        app.delete_as(&token, &path).await.status(),
        StatusCode::NO_CONTENT
    );

    let update = app.put(&token, &path, &json!({"name": "Back"})).await;
    assert_problem(update, StatusCode::NOT_FOUND, "project_not_found").await;
    for action in [
        "archive",
        "unarchive",
        "tasks/1/complete",
        "tasks/1/incomplete",
    ] {
        let response = app.put_action(&token, &format!("{path}/{action}")).await;
        assert_problem(response, StatusCode::NOT_FOUND, "project_not_found").await;
    }
    let rename = app
        .put(&token, &format!("{path}/tasks/1"), &json!({"name": "Back"}))
        .await;
    assert_problem(rename, StatusCode::NOT_FOUND, "project_not_found").await;
    let add = app
        .post_as(&token, &format!("{path}/tasks"), &json!({"name": "Back"}))
        .await;
    assert_problem(add, StatusCode::NOT_FOUND, "project_not_found").await;
    let delete_again = app.delete_as(&token, &path).await;
    assert_problem(delete_again, StatusCode::NOT_FOUND, "project_not_found").await;
    // Still gone: none of those brought it back.
    let read = app.get_as(&path, &token).await;
    assert_problem(read, StatusCode::NOT_FOUND, "project_not_found").await;
}

#[rstest]
#[tokio::test]
async fn an_active_project_cannot_be_deleted(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let path = format!("/api/projects/{}", id_of(&project));

    let response = app.delete_as(&token, &path).await;

    assert_problem(response, StatusCode::CONFLICT, "project_not_archived").await;
    assert_eq!(app.read(&token, &path).await, project);
    let list = app.read(&token, "/api/projects").await;
    assert_eq!(names(&list, "projects"), vec!["My first project", "Garden"]);
}

#[rstest]
#[tokio::test]
async fn project_routes_need_a_token(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let path = format!("/api/projects/{}", id_of(&project));

    for (method, path) in [
        (reqwest::Method::GET, "/api/projects".to_owned()),
        (reqwest::Method::POST, "/api/projects".to_owned()),
        (reqwest::Method::GET, path.clone()),
        (reqwest::Method::PUT, path.clone()),
        (reqwest::Method::DELETE, path.clone()),
        (reqwest::Method::PUT, format!("{path}/archive")),
        (reqwest::Method::PUT, format!("{path}/unarchive")),
        (reqwest::Method::GET, format!("{path}/tasks")),
        (reqwest::Method::POST, format!("{path}/tasks")),
        (reqwest::Method::GET, format!("{path}/tasks/1")),
        (reqwest::Method::PUT, format!("{path}/tasks/1")),
        (reqwest::Method::PUT, format!("{path}/tasks/1/complete")),
        (reqwest::Method::PUT, format!("{path}/tasks/1/incomplete")),
    ] {
        let response = app
            .client
            .request(method.clone(), app.url(&path))
            .json(&json!({"name": "Sneaky"}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_problem(response, StatusCode::UNAUTHORIZED, "missing_token").await;
    }
    assert_eq!(app.read(&token, &path).await, project);
}

#[rstest]
#[tokio::test]
async fn a_project_name_with_a_nul_character_is_never_a_server_error(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;

    let response = app
        .post_as(&token, "/api/projects", &json!({"name": "Gar\u{0}den"}))
        .await;

    // Refused as invalid, or kept as sent: either is honest, and the same on every database;
    // a 500 is not.
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    match status {
        StatusCode::UNPROCESSABLE_ENTITY => {
            assert_eq!(invalid_fields(&body), vec!["name"], "{body}");
        }
        StatusCode::CREATED => {
            let stored = app
                .read(&token, &format!("/api/projects/{}", id_of(&body)))
                .await;
            assert_eq!(stored["name"], "Gar\u{0}den");
        }
        _ => panic!("{status} {body}"),
    }
}
