//! The transactional outbox, seen from outside: events survive failing handlers, crashes
//! between the commit and the delivery, redelivery and a second instance, and dead events
//! come back with `api outbox retry`. Each user ends up with exactly one starter project.
//!
//! Faults are injected in the database, not in the code: a trigger makes every insert into
//! `projects_projects` fail, so that the starter-project handler fails until it is dropped.
//! Nothing waits for a fixed time; each test polls until what it expects is there, and fails
//! after `PATIENCE`.

use std::collections::BTreeMap;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use migration::{Migrator, MigratorTrait};
use platform_database::testing::{Backend, Postgres, Sqlite, TestDatabase};
use platform_database::{DatabaseOptions, connect_pool};
use reqwest::StatusCode;
use rstest::rstest;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, QueryResult};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp, spawn_app, spawn_app_on, spawn_app_with};
use crate::sql::{eventually, execute, query};

const USER_ACCOUNT_CREATED: &str = "accounts.UserAccountCreated";
const STARTER_PROJECT: &str = "My first project";
const INJECTED_FAILURE: &str = "injected failure";
/// From now on every insert into `projects_projects` fails: the starter-project handler
/// fails, and so does every delivery of `UserAccountCreated`.
async fn break_starter_projects(database: &DatabaseConnection) {
    let sql = match database.get_database_backend() {
        DatabaseBackend::Sqlite => {
            "CREATE TRIGGER fail_project_inserts BEFORE INSERT ON projects_projects \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        }
        _ => {
            "CREATE FUNCTION fail_project_inserts() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$; \
             CREATE TRIGGER fail_project_inserts BEFORE INSERT ON projects_projects \
             FOR EACH ROW EXECUTE FUNCTION fail_project_inserts()"
        }
    };
    database.execute_unprepared(sql).await.unwrap();
}

/// Undoes `break_starter_projects`.
async fn heal_starter_projects(database: &DatabaseConnection) {
    let sql = match database.get_database_backend() {
        DatabaseBackend::Sqlite => "DROP TRIGGER fail_project_inserts",
        _ => {
            "DROP TRIGGER fail_project_inserts ON projects_projects; \
             DROP FUNCTION fail_project_inserts()"
        }
    };
    database.execute_unprepared(sql).await.unwrap();
}

/// An `event_outbox` row, as far as these tests look at it.
#[derive(Debug, Clone)]
struct OutboxRow {
    event_id: Uuid,
    status: String,
    attempts: i32,
    last_error: Option<String>,
    delivered_at: Option<DateTime<Utc>>,
}

impl OutboxRow {
    fn read(row: &QueryResult) -> Self {
        Self {
            event_id: row.try_get("", "event_id").unwrap(),
            status: row.try_get("", "status").unwrap(),
            attempts: row.try_get("", "attempts").unwrap(),
            last_error: row.try_get("", "last_error").unwrap(),
            delivered_at: row.try_get("", "delivered_at").unwrap(),
        }
    }
}

const OUTBOX_COLUMNS: &str = "event_id, status, attempts, last_error, delivered_at";

/// The one `UserAccountCreated` of `user` in the outbox.
async fn account_created(database: &DatabaseConnection, user: Uuid) -> OutboxRow {
    let rows = query(
        database,
        &format!(
            "SELECT {OUTBOX_COLUMNS} FROM event_outbox \
             WHERE aggregate_id = $1 AND event_type = $2"
        ),
        vec![user.into(), USER_ACCOUNT_CREATED.into()],
    )
    .await;
    assert_eq!(rows.len(), 1, "one UserAccountCreated for {user}");
    OutboxRow::read(&rows[0])
}

/// Waits until the `UserAccountCreated` of `user` satisfies `done`, and returns it.
async fn wait_for_event(
    database: &DatabaseConnection,
    user: Uuid,
    what: &str,
    done: impl Fn(&OutboxRow) -> bool,
) -> OutboxRow {
    eventually(what, || async {
        let row = account_created(database, user).await;
        done(&row).then_some(row)
    })
    .await
}

/// Every `UserAccountCreated` in the outbox.
async fn account_created_events(database: &DatabaseConnection) -> Vec<OutboxRow> {
    query(
        database,
        &format!(
            "SELECT {OUTBOX_COLUMNS} FROM event_outbox WHERE event_type = $1 ORDER BY sequence"
        ),
        vec![USER_ACCOUNT_CREATED.into()],
    )
    .await
    .iter()
    .map(OutboxRow::read)
    .collect()
}

/// The names of the projects `owner` has, read from the table.
async fn projects_of(database: &DatabaseConnection, owner: Uuid) -> Vec<String> {
    query(
        database,
        "SELECT name FROM projects_projects WHERE owner_id = $1 ORDER BY name",
        vec![owner.into()],
    )
    .await
    .iter()
    .map(|row| row.try_get("", "name").unwrap())
    .collect()
}

/// The handlers that have recorded `event` in their inbox, in name order.
async fn inbox_of(database: &DatabaseConnection, event: Uuid) -> Vec<String> {
    query(
        database,
        "SELECT handler FROM event_inbox WHERE event_id = $1 ORDER BY handler",
        vec![event.into()],
    )
    .await
    .iter()
    .map(|row| row.try_get("", "handler").unwrap())
    .collect()
}

const BOTH_HANDLERS: [&str; 2] = ["accounts.SendWelcomeEmail", "projects.CreateStarterProject"];

/// The names of the projects the signed-in user sees.
async fn listed_projects(app: &TestApp, token: &str) -> Vec<String> {
    app.read(token, "/api/projects").await["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|project| project["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Registers `email` (expecting 201) and logs in: the user's id and token.
async fn new_user(app: &TestApp, email: &str) -> (Uuid, String) {
    let (id, token) = app.given_user(email).await;
    (Uuid::parse_str(&id).unwrap(), token)
}

/// The user's one starter project, checked through the API: its name and its three tasks.
async fn assert_one_starter_project(app: &TestApp, token: &str) {
    let list = app.read(token, "/api/projects").await;
    let projects = list["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 1, "{list}");
    assert_eq!(projects[0]["name"], STARTER_PROJECT);
    let id = projects[0]["id"].as_str().unwrap();
    let tasks = app.read(token, &format!("/api/projects/{id}/tasks")).await;
    assert_eq!(tasks["tasks"].as_array().unwrap().len(), 3, "{tasks}");
}

/// Runs the real `api` binary with only the database settings, as an operator would, and
/// returns what it printed. It expects success.
async fn api_command(app: &TestApp, args: &[&str]) -> String {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_api"));
    command
        .args(args)
        .env("DATABASE_URL", &app.test_database.url)
        .env("APP_ENV", "test");
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("the api binary runs");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "api {args:?} failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[rstest]
#[tokio::test]
async fn a_handler_that_fails_twice_then_succeeds_makes_exactly_one_starter_project(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    break_starter_projects(&app.database).await;

    // The failing handler does not fail the registration.
    let (user, token) = new_user(&app, "ada@example.com").await;
    assert_eq!(listed_projects(&app, &token).await, Vec::<String>::new());

    let failed = wait_for_event(&app.database, user, "the event has failed twice", |row| {
        row.attempts >= 2
    })
    .await;
    assert_eq!(failed.status, "pending", "{failed:?}");
    let error = failed.last_error.unwrap_or_default();
    assert!(error.contains(INJECTED_FAILURE), "{error}");
    assert!(error.contains("projects.CreateStarterProject"), "{error}");
    heal_starter_projects(&app.database).await;

    let delivered = wait_for_event(&app.database, user, "the event is delivered", |row| {
        row.status == "delivered"
    })
    .await;
    assert!(delivered.attempts >= 2, "{delivered:?}");
    assert!(delivered.delivered_at.is_some(), "{delivered:?}");
    assert_one_starter_project(&app, &token).await;
    // Each handler recorded the event once: the welcome email, sent on the first attempt,
    // was not sent again.
    assert_eq!(
        inbox_of(&app.database, delivered.event_id).await,
        BOTH_HANDLERS
    );
}

#[rstest]
#[tokio::test]
async fn an_event_claimed_by_a_process_that_died_is_delivered_once_after_a_restart(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    // What a process leaves behind when it dies between the commit and the delivery: the
    // event pending under its claim, which runs out shortly. Only its database is left.
    let test_database = Arc::new(TestDatabase::create(backend).await);
    let previous = connect_pool(&test_database.url, &DatabaseOptions::default())
        .await
        .unwrap();
    Migrator::up(&previous, None).await.unwrap();
    let user = Uuid::now_v7();
    let event = Uuid::now_v7();
    let now = Utc::now();
    let claim_ends = now.timestamp_millis() + 300;
    execute(
        &previous,
        "INSERT INTO event_outbox (event_id, event_type, event_version, aggregate_id, \
         occurred_at, payload, recorded_at, status, attempts, available_at, claimed_by) \
         VALUES ($1, $2, 1, $3, $4, $5, $4, 'pending', 0, $6, $7)",
        vec![
            event.into(),
            USER_ACCOUNT_CREATED.into(),
            user.into(),
            now.into(),
            json!({"userId": user, "email": "ada@example.com"})
                .to_string()
                .into(),
            claim_ends.into(),
            Uuid::now_v7().into(),
        ],
    )
    .await;
    previous.close().await.unwrap();

    let restarted = spawn_app_on(test_database, &[]).await;

    let delivered = wait_for_event(
        &restarted.database,
        user,
        "the orphaned event is delivered",
        |row| row.status == "delivered",
    )
    .await;
    assert_eq!(
        projects_of(&restarted.database, user).await,
        [STARTER_PROJECT]
    );
    assert_eq!(inbox_of(&restarted.database, event).await, BOTH_HANDLERS);
    // Nobody took the event before the dead process's claim ran out.
    let delivered_at = delivered.delivered_at.expect("a delivery time");
    assert!(
        delivered_at.timestamp_millis() >= claim_ends,
        "delivered at {delivered_at}, the claim ran until {claim_ends}"
    );
}

#[rstest]
#[tokio::test]
async fn an_event_delivered_again_after_its_handlers_ran_changes_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (user, token) = new_user(&app, "ada@example.com").await;
    // The delivery right after the commit is over before the 201 goes out.
    let first = account_created(&app.database, user).await;
    assert_eq!(first.status, "delivered", "{first:?}");
    assert_eq!(first.attempts, 0);

    // As if the process had died after the handlers committed, before it recorded the
    // delivery: the event is due again, and nobody holds it.
    let reset = execute(
        &app.database,
        "UPDATE event_outbox SET status = 'pending', available_at = 0, claimed_by = NULL, \
         delivered_at = NULL WHERE event_id = $1",
        vec![first.event_id.into()],
    )
    .await;
    assert_eq!(reset, 1);

    let again = wait_for_event(&app.database, user, "the event is delivered again", |row| {
        row.status == "delivered" && row.delivered_at.is_some()
    })
    .await;
    assert_eq!(again.attempts, 0, "{again:?}");
    assert_one_starter_project(&app, &token).await;
    assert_eq!(inbox_of(&app.database, first.event_id).await, BOTH_HANDLERS);
}

#[rstest]
#[tokio::test]
async fn two_instances_deliver_a_burst_of_failed_events_once_each(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let first = spawn_app(backend).await;
    let second = spawn_app_on(first.test_database.clone(), &[]).await;
    break_starter_projects(&first.database).await;

    let registrations = (0..20).map(|i| {
        let app = if i % 2 == 0 { &first } else { &second };
        async move {
            let response = app
                .register(&format!("user{i}@example.com"), PASSWORD)
                .await;
            assert_eq!(response.status(), StatusCode::CREATED);
            let body: Value = response.json().await.unwrap();
            Uuid::parse_str(body["id"].as_str().unwrap()).unwrap()
        }
    });
    let mut users = join_all(registrations).await;
    users.sort_unstable();
    heal_starter_projects(&second.database).await;

    let events = eventually("no event is left undelivered", || async {
        let events = account_created_events(&first.database).await;
        assert!(
            events.iter().all(|event| event.status != "dead"),
            "{events:#?}"
        );
        events
            .iter()
            .all(|event| event.status == "delivered")
            .then_some(events)
    })
    .await;
    assert_eq!(events.len(), 20);
    let undelivered = query(
        &first.database,
        "SELECT event_type FROM event_outbox WHERE status <> 'delivered'",
        vec![],
    )
    .await;
    assert!(undelivered.is_empty(), "{undelivered:?}");
    assert!(
        events.iter().any(|event| event.attempts > 0),
        "the trigger made the first deliveries fail: {events:#?}"
    );
    let owners = query(
        &first.database,
        "SELECT owner_id, COUNT(*) AS projects FROM projects_projects GROUP BY owner_id",
        vec![],
    )
    .await;
    let owners: BTreeMap<Uuid, i64> = owners
        .iter()
        .map(|row| {
            (
                row.try_get("", "owner_id").unwrap(),
                row.try_get("", "projects").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        owners,
        users
            .iter()
            .map(|user| (*user, 1))
            .collect::<BTreeMap<_, _>>()
    );
    for event in &events {
        assert_eq!(
            inbox_of(&first.database, event.event_id).await,
            BOTH_HANDLERS
        );
    }
}

#[rstest]
#[tokio::test]
async fn an_event_that_fails_every_attempt_is_dead_until_an_operator_retries_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(backend, &[("OUTBOX_MAX_ATTEMPTS", "2")]).await;
    break_starter_projects(&app.database).await;
    let (user, token) = new_user(&app, "ada@example.com").await;

    let dead = wait_for_event(&app.database, user, "the event is dead", |row| {
        row.status == "dead"
    })
    .await;
    assert_eq!(dead.attempts, 2);
    let error = dead.last_error.clone().unwrap_or_default();
    assert!(error.contains(INJECTED_FAILURE), "{error}");

    let listed = api_command(&app, &["outbox", "list", "--json"]).await;
    let lines: Vec<Value> = listed
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("JSON: {line}")))
        .collect();
    assert_eq!(lines.len(), 1, "{listed}");
    let entry = &lines[0];
    assert_eq!(entry["status"], "dead");
    assert_eq!(entry["attempts"], 2);
    assert!(
        entry["lastError"]
            .as_str()
            .unwrap()
            .contains(INJECTED_FAILURE),
        "{entry}"
    );
    let event = &entry["event"];
    assert_eq!(event["id"], dead.event_id.to_string());
    assert_eq!(event["type"], USER_ACCOUNT_CREATED);
    assert_eq!(event["version"], 1);
    assert_eq!(event["aggregateId"], user.to_string());
    assert_eq!(
        event["payload"],
        json!({"userId": user, "email": "ada@example.com"})
    );
    assert!(
        event["occurredAt"].as_str().unwrap().ends_with('Z'),
        "{event}"
    );
    // A dead event stays dead: the relay leaves it alone.
    assert_eq!(listed_projects(&app, &token).await, Vec::<String>::new());

    heal_starter_projects(&app.database).await;
    let retried = api_command(&app, &["outbox", "retry", &dead.event_id.to_string()]).await;
    assert!(retried.contains("re-queued 1 dead event(s)"), "{retried}");

    let delivered = wait_for_event(
        &app.database,
        user,
        "the retried event is delivered",
        |row| row.status == "delivered",
    )
    .await;
    assert_eq!(delivered.event_id, dead.event_id);
    assert_one_starter_project(&app, &token).await;
    assert_eq!(inbox_of(&app.database, dead.event_id).await, BOTH_HANDLERS);
    assert_eq!(api_command(&app, &["outbox", "list", "--json"]).await, "");
}
