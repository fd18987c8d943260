//! Events as they sit in the outbox: what an older build left undelivered still delivers,
//! and an event delivered again changes nothing.

use chrono::Utc;
use platform_database::testing::{Backend, Postgres, Sqlite};
use rstest::rstest;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::spawn_app;
use crate::sql::{eventually, execute, query};

/// Puts an event into the outbox as a build before the published events (and their names)
/// wrote it: version 1, pending, due now, claimed by nobody.
async fn given_pending_v1(
    database: &DatabaseConnection,
    event_type: &str,
    aggregate: Uuid,
    payload: Value,
) -> Uuid {
    let id = Uuid::now_v7();
    let now = Utc::now();
    execute(
        database,
        "INSERT INTO event_outbox (event_id, event_type, event_version, aggregate_id, \
         occurred_at, payload, recorded_at, status, attempts, available_at) \
         VALUES ($1, $2, 1, $3, $4, $5, $6, 'pending', 0, $7)",
        vec![
            id.into(),
            event_type.into(),
            aggregate.into(),
            now.into(),
            payload.to_string().into(),
            now.into(),
            now.timestamp_millis().into(),
        ],
    )
    .await;
    id
}

async fn status(database: &DatabaseConnection, event: Uuid) -> String {
    let rows = query(
        database,
        "SELECT status FROM event_outbox WHERE event_id = $1",
        vec![event.into()],
    )
    .await;
    rows[0].try_get("", "status").unwrap()
}

async fn wait_until_delivered(database: &DatabaseConnection, events: &[Uuid]) {
    eventually("every stored event is delivered", || async {
        for event in events {
            if status(database, *event).await != "delivered" {
                return None;
            }
        }
        Some(())
    })
    .await;
}

/// The summaries of a project's activity, newest first.
fn summaries(page: &Value) -> Vec<String> {
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["summary"].as_str().unwrap().to_owned())
        .collect()
}

#[rstest]
#[tokio::test]
async fn events_an_older_build_left_undelivered_deliver_after_the_upgrade(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, token) = app.given_user("ada@example.com").await;
    let newcomer = Uuid::now_v7();
    let project = Uuid::now_v7();

    let events = [
        given_pending_v1(
            &app.database,
            "accounts.UserAccountCreated",
            newcomer,
            json!({"userId": newcomer, "email": "grace@example.com"}),
        )
        .await,
        given_pending_v1(
            &app.database,
            "projects.ProjectCreated",
            project,
            json!({"projectId": project, "owner": owner}),
        )
        .await,
        given_pending_v1(
            &app.database,
            "projects.TaskAdded",
            project,
            json!({"projectId": project, "number": 1}),
        )
        .await,
        given_pending_v1(
            &app.database,
            "projects.TaskCompleted",
            project,
            json!({"projectId": project, "number": 1}),
        )
        .await,
    ];
    wait_until_delivered(&app.database, &events).await;

    // The newcomer's registration reached projects: the starter project is there.
    let starter = query(
        &app.database,
        "SELECT name FROM projects_projects WHERE owner_id = $1",
        vec![newcomer.into()],
    )
    .await;
    assert_eq!(starter.len(), 1);
    assert_eq!(
        starter[0].try_get::<String>("", "name").unwrap(),
        "My first project"
    );
    // The project's events reached activity, without the names version 1 never stored.
    let page = app
        .read(&token, &format!("/api/projects/{project}/activity"))
        .await;
    assert_eq!(
        summaries(&page),
        [
            "Task 1 was completed",
            "Task 1 was added",
            "A project was created"
        ]
    );
    assert_eq!(page["entries"][0]["id"], json!(events[3]));
}

#[rstest]
#[tokio::test]
async fn an_event_delivered_again_adds_no_second_entry(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    let id = project["id"].as_str().unwrap();
    let path = format!("/api/projects/{id}/activity");
    let before = summaries(&app.read(&token, &path).await);
    let created = query(
        &app.database,
        "SELECT event_id FROM event_outbox WHERE event_type = 'projects.ProjectCreated' \
         AND aggregate_id = $1",
        vec![id.parse::<Uuid>().unwrap().into()],
    )
    .await[0]
        .try_get::<Uuid>("", "event_id")
        .unwrap();

    // As after a lost lease: the event is due again, and the relay takes it.
    let requeued = execute(
        &app.database,
        "UPDATE event_outbox SET status = 'pending', delivered_at = NULL, claimed_by = NULL, \
         available_at = $1 WHERE event_id = $2",
        vec![Utc::now().timestamp_millis().into(), created.into()],
    )
    .await;
    assert_eq!(requeued, 1);
    wait_until_delivered(&app.database, &[created]).await;

    assert_eq!(before, ["Project “Garden” was created"]);
    assert_eq!(summaries(&app.read(&token, &path).await), before);
}
