//! The retention purge, as an operator meets it: delivered events and their inbox rows older
//! than `OUTBOX_RETENTION_HOURS` are gone once a server has started, and a dead event, its
//! inbox rows and every younger event stay. The rows are aged in the database, as a week
//! would have aged them; a second instance on the same database is the restarted server,
//! whose purge runs once at start-up.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::StatusCode;
use rstest::rstest;
use sea_orm::DatabaseConnection;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp, spawn_app, spawn_app_on};
use crate::sql::{eventually, execute, query};

/// Registers `email`, and returns the user's id.
async fn register(app: &TestApp, email: &str) -> Uuid {
    let response = app.register(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    Uuid::parse_str(body["id"].as_str().unwrap()).unwrap()
}

/// Every event in the outbox, as (event id, status).
async fn outbox(database: &DatabaseConnection) -> BTreeSet<(Uuid, String)> {
    query(
        database,
        "SELECT event_id, status FROM event_outbox",
        vec![],
    )
    .await
    .iter()
    .map(|row| {
        (
            row.try_get("", "event_id").unwrap(),
            row.try_get("", "status").unwrap(),
        )
    })
    .collect()
}

/// Every inbox row, as (handler, event id).
async fn inbox(database: &DatabaseConnection) -> BTreeSet<(String, Uuid)> {
    query(
        database,
        "SELECT handler, event_id FROM event_inbox",
        vec![],
    )
    .await
    .iter()
    .map(|row| {
        (
            row.try_get("", "handler").unwrap(),
            row.try_get("", "event_id").unwrap(),
        )
    })
    .collect()
}

/// What a registration leaves behind, once eight days old: its events delivered and its
/// inbox rows processed eight days ago, and its `UserAccountCreated` parked as dead then,
/// with the inbox rows of the handlers that had succeeded on it.
struct Aged {
    /// The dead `UserAccountCreated`.
    dead: Uuid,
    /// Every event and inbox row the registration wrote.
    outbox: BTreeSet<(Uuid, String)>,
    inbox: BTreeSet<(String, Uuid)>,
}

async fn an_aged_registration(app: &TestApp) -> Aged {
    let user = register(app, "ada@example.com").await;
    let week_ago = Utc::now() - TimeDelta::days(8);
    let database = &app.database;
    execute(
        database,
        "UPDATE event_outbox SET delivered_at = $1 WHERE status = 'delivered'",
        vec![week_ago.into()],
    )
    .await;
    execute(
        database,
        "UPDATE event_inbox SET processed_at = $1",
        vec![week_ago.into()],
    )
    .await;
    let parked = execute(
        database,
        "UPDATE event_outbox SET status = 'dead', delivered_at = NULL, attempts = 10 \
         WHERE aggregate_id = $1 AND event_type = 'accounts.UserAccountCreated'",
        vec![user.into()],
    )
    .await;
    assert_eq!(parked, 1);
    let outbox = outbox(database).await;
    let dead = outbox
        .iter()
        .find(|(_, status)| status == "dead")
        .map(|(event, _)| *event)
        .unwrap();
    Aged {
        dead,
        outbox,
        inbox: inbox(database).await,
    }
}

#[rstest]
#[tokio::test]
async fn a_started_server_purges_what_is_older_than_the_retention_and_keeps_the_rest(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let first = spawn_app(backend).await;
    let aged = an_aged_registration(&first).await;
    register(&first, "grace@example.com").await;
    let young_outbox: BTreeSet<_> = outbox(&first.database)
        .await
        .difference(&aged.outbox)
        .cloned()
        .collect();
    let young_inbox: BTreeSet<_> = inbox(&first.database)
        .await
        .difference(&aged.inbox)
        .cloned()
        .collect();
    assert_eq!(young_outbox.len(), 6, "a registration's six events");
    assert_eq!(young_inbox.len(), 7, "a registration's seven inbox rows");

    // The default retention, a week.
    let restarted = spawn_app_on(first.test_database.clone(), &[]).await;

    let mut kept_outbox = young_outbox.clone();
    kept_outbox.insert((aged.dead, "dead".to_owned()));
    let mut kept_inbox = young_inbox.clone();
    kept_inbox.extend(
        aged.inbox
            .iter()
            .filter(|(_, event)| *event == aged.dead)
            .cloned(),
    );
    assert_eq!(
        kept_inbox.len(),
        7 + 2,
        "the welcome email's and the starter project's rows of the dead event"
    );
    eventually(
        "the old delivered events and inbox rows are purged",
        || async {
            let purged = outbox(&restarted.database).await == kept_outbox
                && inbox(&restarted.database).await == kept_inbox;
            purged.then_some(())
        },
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn a_retention_of_zero_hours_keeps_everything(#[values(Sqlite, Postgres)] backend: Backend) {
    let first = spawn_app(backend).await;
    let aged = an_aged_registration(&first).await;

    let restarted = spawn_app_on(
        first.test_database.clone(),
        &[("OUTBOX_RETENTION_HOURS", "0")],
    )
    .await;
    // A request the restarted server has answered, and time for a purge it should not make.
    register(&restarted, "grace@example.com").await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    assert!(outbox(&restarted.database).await.is_superset(&aged.outbox));
    assert!(inbox(&restarted.database).await.is_superset(&aged.inbox));
}
