//! The task routes: add, list, read, rename, complete and mark incomplete.

use std::time::Duration;

use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::StatusCode;
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::projects::{
    complete, given_archived_project, id_of, invalid_fields, names, now, timestamp,
};

/// A fresh user's token and a new project of theirs ("Garden", with this maximum).
async fn given_project(app: &TestApp, max: Option<i64>) -> (String, String) {
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", max).await;
    (token, id_of(&project))
}

/// Adds tasks named `names`, expecting 201 for each.
async fn given_tasks(app: &TestApp, token: &str, project: &str, names: &[&str]) {
    for name in names {
        let response = app.add_task(token, project, name).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{name}");
    }
}

async fn task(app: &TestApp, token: &str, project: &str, number: u32) -> Value {
    app.read(token, &format!("/api/projects/{project}/tasks/{number}"))
        .await
}

async fn project(app: &TestApp, token: &str, project: &str) -> Value {
    app.read(token, &format!("/api/projects/{project}")).await
}

async fn all_tasks(app: &TestApp, token: &str, project: &str) -> Value {
    app.read(token, &format!("/api/projects/{project}/tasks?limit=200"))
        .await
}

#[rstest]
#[tokio::test]
async fn adding_a_task_answers_201_with_it_and_where_to_find_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    let before = now();

    let response = app.add_task(&token, &id, "  Water the plants \n").await;

    let after = now();
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/projects/{id}/tasks/1"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["number"], 1);
    assert_eq!(body["name"], "Water the plants");
    assert_eq!(body["completedAt"], Value::Null);
    let created_at = timestamp(&body["createdAt"]);
    assert!(before <= created_at && created_at <= after, "{created_at}");
    // The details a task was not given read as none.
    assert_eq!(body["description"], Value::Null);
    assert_eq!(body["dueAt"], Value::Null);
    assert_eq!(body["priority"], "none");
    assert_eq!(body["labels"], serde_json::json!([]));
    assert_eq!(body["overdue"], false);
    assert_eq!(body["updatedAt"], body["createdAt"]);
    assert_eq!(body["projectId"], id.as_str());
    assert_eq!(body.as_object().unwrap().len(), 11, "{body}");
    assert_eq!(app.read(&token, &location).await, body);
    let project = project(&app, &token, &id).await;
    assert_eq!(project["taskCount"], 1);
    assert_eq!(project["incompleteTaskCount"], 1);
}

#[rstest]
#[tokio::test]
async fn tasks_are_numbered_1_2_3_in_the_order_they_are_added(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;

    let mut numbers = Vec::new();
    for name in ["Water", "Weed", "Harvest"] {
        let response = app.add_task(&token, &id, name).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        numbers.push(response.json::<Value>().await.unwrap()["number"].clone());
    }

    assert_eq!(numbers, vec![json!(1), json!(2), json!(3)]);
    // Numbers are per project: another project starts at 1 again.
    let other = app.create_project(&token, "Kitchen", None).await;
    let first = app.add_task(&token, &id_of(&other), "Cook").await;
    assert_eq!(first.json::<Value>().await.unwrap()["number"], 1);
}

#[rstest]
#[tokio::test]
async fn a_refused_task_uses_up_no_number(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, Some(1)).await;
    given_tasks(&app, &token, &id, &["Water"]).await;

    let refused = app.add_task(&token, &id, "Weed").await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    complete(&app, &token, &id, 1).await;
    let next = app.add_task(&token, &id, "Weed").await;

    assert_eq!(next.status(), StatusCode::CREATED);
    assert_eq!(next.json::<Value>().await.unwrap()["number"], 2);
}

#[rstest]
#[tokio::test]
async fn an_invalid_task_name_is_422_and_adds_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    let too_long = "x".repeat(101);

    for body in [
        json!({"name": "   "}),
        json!({"name": ""}),
        json!({"name": too_long}),
        json!({}),
        json!({"name": 7}),
    ] {
        let response = app
            .post_as(&token, &format!("/api/projects/{id}/tasks"), &body)
            .await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        if body.get("name").is_none_or(Value::is_string) {
            assert_eq!(invalid_fields(&problem), vec!["name"], "{body}");
        }
    }

    assert_eq!(project(&app, &token, &id).await["taskCount"], 0);
    assert_eq!(all_tasks(&app, &token, &id).await["tasks"], json!([]));
    let longest = "é".repeat(100);
    let accepted = app.add_task(&token, &id, &longest).await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
    let accepted: Value = accepted.json().await.unwrap();
    assert_eq!(accepted["number"], 1);
    assert_eq!(task(&app, &token, &id, 1).await["name"], longest.as_str());
}

#[rstest]
#[tokio::test]
async fn an_archived_project_takes_no_tasks(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let archived = given_archived_project(&app, &token, "Attic").await;
    let id = id_of(&archived);

    let response = app.add_task(&token, &id, "Sort boxes").await;

    assert_problem(response, StatusCode::CONFLICT, "project_archived").await;
    assert_eq!(project(&app, &token, &id).await, archived);
    assert_eq!(
        names(&all_tasks(&app, &token, &id).await, "tasks"),
        vec!["Done already"]
    );
}

#[rstest]
#[tokio::test]
async fn a_task_beyond_the_maximum_of_incomplete_ones_is_409(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, Some(2)).await;
    given_tasks(&app, &token, &id, &["Water", "Weed"]).await;

    let response = app.add_task(&token, &id, "Harvest").await;

    assert_problem(response, StatusCode::CONFLICT, "too_many_incomplete_tasks").await;
    let after = project(&app, &token, &id).await;
    assert_eq!(after["taskCount"], 2);
    assert_eq!(after["incompleteTaskCount"], 2);
    assert_eq!(
        names(&all_tasks(&app, &token, &id).await, "tasks"),
        vec!["Water", "Weed"]
    );
}

#[rstest]
#[tokio::test]
async fn completed_tasks_do_not_count_towards_the_maximum(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, Some(2)).await;
    given_tasks(&app, &token, &id, &["Water", "Weed"]).await;
    complete(&app, &token, &id, 1).await;

    let response = app.add_task(&token, &id, "Harvest").await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let after = project(&app, &token, &id).await;
    assert_eq!(after["taskCount"], 3);
    assert_eq!(after["incompleteTaskCount"], 2);
}

#[rstest]
#[tokio::test]
async fn a_task_for_an_unknown_project_is_404(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;

    let response = app
        .add_task(&token, &uuid::Uuid::now_v7().to_string(), "Water")
        .await;

    assert_problem(response, StatusCode::NOT_FOUND, "project_not_found").await;
}

#[rstest]
#[tokio::test]
async fn the_task_list_is_ordered_by_number(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    given_tasks(&app, &token, &id, &["Water", "Weed", "Harvest"]).await;
    complete(&app, &token, &id, 2).await;

    let list = app.read(&token, &format!("/api/projects/{id}/tasks")).await;

    assert_eq!(list["nextCursor"], Value::Null);
    assert_eq!(list.as_object().unwrap().len(), 2, "{list}");
    assert_eq!(names(&list, "tasks"), vec!["Water", "Weed", "Harvest"]);
    let numbers: Vec<&Value> = list["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["number"])
        .collect();
    assert_eq!(numbers, vec![&json!(1), &json!(2), &json!(3)]);
    // Each entry is the task as GET shows it.
    assert_eq!(list["tasks"][1], task(&app, &token, &id, 2).await);
}

#[rstest]
#[tokio::test]
async fn the_task_list_filters_by_status(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    given_tasks(&app, &token, &id, &["Water", "Weed", "Harvest", "Eat"]).await;
    complete(&app, &token, &id, 2).await;
    complete(&app, &token, &id, 4).await;
    let path = format!("/api/projects/{id}/tasks");

    let completed = app.read(&token, &format!("{path}?status=completed")).await;
    let incomplete = app.read(&token, &format!("{path}?status=incomplete")).await;

    assert_eq!(names(&completed, "tasks"), vec!["Weed", "Eat"]);
    assert_eq!(names(&incomplete, "tasks"), vec!["Water", "Harvest"]);
}

#[rstest]
#[tokio::test]
async fn the_tasks_of_an_unknown_project_are_404(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;

    let response = app
        .get_as(
            &format!("/api/projects/{}/tasks", uuid::Uuid::now_v7()),
            &token,
        )
        .await;

    assert_problem(response, StatusCode::NOT_FOUND, "project_not_found").await;
}

#[rstest]
#[tokio::test]
async fn an_unknown_task_is_404_and_a_malformed_number_422(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    given_tasks(&app, &token, &id, &["Water"]).await;

    for path in [
        format!("/api/projects/{id}/tasks/2"),
        format!("/api/projects/{id}/tasks/0"),
        format!("/api/projects/{id}/tasks/4294967295"),
        format!("/api/projects/{}/tasks/1", uuid::Uuid::now_v7()),
    ] {
        let response = app.get_as(&path, &token).await;
        assert_problem(response, StatusCode::NOT_FOUND, "task_not_found").await;
    }
    for number in ["abc", "-1", "1.5", "4294967296"] {
        let response = app
            .get_as(&format!("/api/projects/{id}/tasks/{number}"), &token)
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
async fn renaming_a_task_keeps_everything_else(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    given_tasks(&app, &token, &id, &["Water", "Weed"]).await;
    let done = complete(&app, &token, &id, 1).await;
    let path = format!("/api/projects/{id}/tasks/1");

    let response = app
        .put(&token, &path, &json!({"name": "  Water well "}))
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["number"], 1);
    assert_eq!(body["name"], "Water well");
    assert_eq!(body["completedAt"], done["completedAt"]);
    assert_eq!(body["createdAt"], done["createdAt"]);
    assert_eq!(app.read(&token, &path).await, body);
    assert_eq!(task(&app, &token, &id, 2).await["name"], "Weed");
}

#[rstest]
#[tokio::test]
async fn an_invalid_rename_is_422_and_changes_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    given_tasks(&app, &token, &id, &["Water"]).await;
    let path = format!("/api/projects/{id}/tasks/1");
    let before = app.read(&token, &path).await;

    for body in [json!({"name": " "}), json!({"name": "x".repeat(101)})] {
        let response = app.put(&token, &path, &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(invalid_fields(&problem), vec!["name"]);
    }

    assert_eq!(app.read(&token, &path).await, before);
}

#[rstest]
#[tokio::test]
async fn renaming_an_unknown_task_is_404(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    given_tasks(&app, &token, &id, &["Water"]).await;

    // 4294967295 fits the path's number but no stored task number (at most i32::MAX).
    for number in [2u32, 4_294_967_295] {
        let response = app
            .put(
                &token,
                &format!("/api/projects/{id}/tasks/{number}"),
                &json!({"name": "Weed"}),
            )
            .await;
        assert_problem(response, StatusCode::NOT_FOUND, "task_not_found").await;
    }
    assert_eq!(
        names(&all_tasks(&app, &token, &id).await, "tasks"),
        vec!["Water"]
    );
}

#[rstest]
#[tokio::test]
async fn a_task_of_an_archived_project_cannot_be_renamed(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let id = id_of(&given_archived_project(&app, &token, "Attic").await);
    let path = format!("/api/projects/{id}/tasks/1");
    let before = app.read(&token, &path).await;

    let response = app.put(&token, &path, &json!({"name": "Renamed"})).await;

    assert_problem(response, StatusCode::CONFLICT, "project_archived").await;
    assert_eq!(app.read(&token, &path).await, before);
}

#[rstest]
#[tokio::test]
async fn completing_a_task_stamps_it_and_updates_the_counts(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    given_tasks(&app, &token, &id, &["Water", "Weed"]).await;
    let before = now();

    let response = app
        .put_action(&token, &format!("/api/projects/{id}/tasks/1/complete"))
        .await;

    let after = now();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["number"], 1);
    assert_eq!(body["name"], "Water");
    let completed_at = timestamp(&body["completedAt"]);
    assert!(
        before <= completed_at && completed_at <= after,
        "{completed_at}"
    );
    assert_eq!(task(&app, &token, &id, 1).await, body);
    assert_eq!(task(&app, &token, &id, 2).await["completedAt"], Value::Null);
    let project = project(&app, &token, &id).await;
    assert_eq!(project["taskCount"], 2);
    assert_eq!(project["incompleteTaskCount"], 1);
}

#[rstest]
#[tokio::test]
async fn completing_a_completed_task_keeps_its_first_completion(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    given_tasks(&app, &token, &id, &["Water"]).await;
    let first = complete(&app, &token, &id, 1).await;
    // Let the clock move on, so that a second stamp would differ.
    tokio::time::sleep(Duration::from_millis(20)).await;

    let again = complete(&app, &token, &id, 1).await;

    assert_eq!(again, first);
    assert_eq!(task(&app, &token, &id, 1).await, first);
    assert_eq!(project(&app, &token, &id).await["incompleteTaskCount"], 0);
}

#[rstest]
#[tokio::test]
async fn a_task_of_an_archived_project_cannot_be_completed(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let id = id_of(&given_archived_project(&app, &token, "Attic").await);
    let path = format!("/api/projects/{id}/tasks/1");
    let before = app.read(&token, &path).await;

    let response = app.put_action(&token, &format!("{path}/complete")).await;

    assert_problem(response, StatusCode::CONFLICT, "project_archived").await;
    assert_eq!(app.read(&token, &path).await, before);
}

#[rstest]
#[tokio::test]
async fn marking_a_completed_task_incomplete_clears_its_completion(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    given_tasks(&app, &token, &id, &["Water", "Weed"]).await;
    let done = complete(&app, &token, &id, 1).await;

    let response = app
        .put_action(&token, &format!("/api/projects/{id}/tasks/1/incomplete"))
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["number"], 1);
    assert_eq!(body["name"], "Water");
    assert_eq!(body["completedAt"], Value::Null);
    assert_eq!(body["createdAt"], done["createdAt"]);
    assert_eq!(task(&app, &token, &id, 1).await, body);
    let project = project(&app, &token, &id).await;
    assert_eq!(project["taskCount"], 2);
    assert_eq!(project["incompleteTaskCount"], 2);
}

#[rstest]
#[tokio::test]
async fn marking_an_incomplete_task_incomplete_changes_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, Some(1)).await;
    given_tasks(&app, &token, &id, &["Water"]).await;
    let path = format!("/api/projects/{id}/tasks/1");
    let before = app.read(&token, &path).await;

    // At the maximum already: a no-op is not refused for lack of room.
    let response = app.put_action(&token, &format!("{path}/incomplete")).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap(), before);
    assert_eq!(app.read(&token, &path).await, before);
    assert_eq!(project(&app, &token, &id).await["incompleteTaskCount"], 1);
}

#[rstest]
#[tokio::test]
async fn a_task_of_an_archived_project_cannot_be_marked_incomplete(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let archived = given_archived_project(&app, &token, "Attic").await;
    let id = id_of(&archived);
    let path = format!("/api/projects/{id}/tasks/1");
    let before = app.read(&token, &path).await;

    let response = app.put_action(&token, &format!("{path}/incomplete")).await;

    assert_problem(response, StatusCode::CONFLICT, "project_archived").await;
    assert_eq!(app.read(&token, &path).await, before);
    assert!(before["completedAt"].is_string());
    assert_eq!(project(&app, &token, &id).await, archived);
}

#[rstest]
#[tokio::test]
async fn reopening_a_task_beyond_the_maximum_is_409(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, Some(1)).await;
    given_tasks(&app, &token, &id, &["Water"]).await;
    complete(&app, &token, &id, 1).await;
    given_tasks(&app, &token, &id, &["Weed"]).await;
    let path = format!("/api/projects/{id}/tasks/1");
    let before = app.read(&token, &path).await;

    let response = app.put_action(&token, &format!("{path}/incomplete")).await;

    assert_problem(response, StatusCode::CONFLICT, "too_many_incomplete_tasks").await;
    assert_eq!(app.read(&token, &path).await, before);
    assert!(before["completedAt"].is_string());
    assert_eq!(project(&app, &token, &id).await["incompleteTaskCount"], 1);
}

#[rstest]
#[tokio::test]
async fn completing_or_reopening_an_unknown_task_is_404(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;
    given_tasks(&app, &token, &id, &["Water"]).await;

    for action in ["complete", "incomplete"] {
        // 4294967295 fits the path's number but no stored task number (at most i32::MAX).
        for number in [2u32, 4_294_967_295] {
            let response = app
                .put_action(
                    &token,
                    &format!("/api/projects/{id}/tasks/{number}/{action}"),
                )
                .await;
            assert_problem(response, StatusCode::NOT_FOUND, "task_not_found").await;
        }
        let unknown_project = app
            .put_action(
                &token,
                &format!("/api/projects/{}/tasks/1/{action}", uuid::Uuid::now_v7()),
            )
            .await;
        assert_problem(unknown_project, StatusCode::NOT_FOUND, "project_not_found").await;
    }
    assert_eq!(task(&app, &token, &id, 1).await["completedAt"], Value::Null);
}

#[rstest]
#[tokio::test]
async fn a_task_name_with_a_nul_character_is_never_a_server_error(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, id) = given_project(&app, None).await;

    let response = app.add_task(&token, &id, "Wa\u{0}ter").await;

    // Refused as invalid, or kept as sent: either is honest, and the same on every database;
    // a 500 is not.
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    match status {
        StatusCode::UNPROCESSABLE_ENTITY => {
            assert_eq!(invalid_fields(&body), vec!["name"], "{body}");
            assert_eq!(project(&app, &token, &id).await["taskCount"], 0);
        }
        StatusCode::CREATED => {
            assert_eq!(task(&app, &token, &id, 1).await["name"], "Wa\u{0}ter");
        }
        _ => panic!("{status} {body}"),
    }
}
