use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Value};
use shared_kernel_application::{Unavailability, Unavailable};

use super::*;
use crate::WriteError;
use crate::testing::{Postgres, TestDatabase};

#[derive(Debug, PartialEq, crate::DatabaseRow)]
struct Note {
    id: i32,
    body: String,
}

fn options(max_connections: u32) -> DatabaseOptions {
    DatabaseOptions {
        max_connections,
        timeout: Duration::from_millis(300),
        ..DatabaseOptions::default()
    }
}

/// A database with a `notes` table, sea-orm's pool on it to look, and writers of one
/// connection: whatever a transaction leaves on its connection, the next one meets.
async fn notes() -> (TestDatabase, DatabaseConnection, PostgresWriters) {
    let database = TestDatabase::create(Postgres).await;
    let admin = sea_orm::Database::connect(&database.url).await.unwrap();
    admin
        .execute_unprepared("CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)")
        .await
        .unwrap();
    let url = PostgresUrl::read(&database.url).unwrap().unwrap();
    let writers = PostgresWriters::open(&url, &options(1)).await.unwrap();
    (database, admin, writers)
}

fn insert(id: i32, body: &str) -> Statement {
    Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "INSERT INTO notes (id, body) VALUES ($1, $2)",
        [Value::Int(Some(id)), body.into()],
    )
}

fn select_all() -> Statement {
    Statement::from_string(
        DatabaseBackend::Postgres,
        "SELECT id, body FROM notes ORDER BY id",
    )
}

/// What another connection sees in `notes`.
async fn committed(admin: &DatabaseConnection) -> Vec<i32> {
    admin
        .query_all_raw(select_all())
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<i32>("", "id").unwrap())
        .collect()
}

#[tokio::test]
async fn a_transaction_reads_its_own_writes_and_others_see_them_once_it_commits() {
    let (_database, admin, writers) = notes().await;

    let transaction = writers.begin().await.unwrap();
    assert_eq!(transaction.execute(insert(1, "shed")).await.unwrap(), 1);
    assert_eq!(transaction.execute(insert(2, "roof")).await.unwrap(), 1);
    let inside: Vec<Note> = transaction.rows(select_all()).await.unwrap();
    let outside = committed(&admin).await;
    transaction.commit().await.unwrap();

    assert_eq!(
        inside,
        [
            Note {
                id: 1,
                body: "shed".into()
            },
            Note {
                id: 2,
                body: "roof".into()
            }
        ]
    );
    assert_eq!(outside, [] as [i32; 0], "its first statement ran inside it");
    assert_eq!(committed(&admin).await, [1, 2]);
}

#[tokio::test]
async fn a_transaction_dropped_uncommitted_rolls_back_before_its_connection_is_used_again() {
    let (_database, admin, writers) = notes().await;

    let dropped = writers.begin().await.unwrap();
    dropped.execute(insert(1, "never")).await.unwrap();
    drop(dropped);
    // The pool's one connection: had the first transaction been left open on it, this one
    // would run inside it and commit both rows.
    let next = writers.begin().await.unwrap();
    next.execute(insert(2, "kept")).await.unwrap();
    next.commit().await.unwrap();

    assert_eq!(committed(&admin).await, [2]);
}

#[tokio::test]
async fn a_failed_statement_is_said_as_a_unique_violation_and_rolls_its_transaction_back() {
    let (_database, admin, writers) = notes().await;
    writers.execute_alone(insert(1, "first")).await.unwrap();

    let transaction = writers.begin().await.unwrap();
    transaction.execute(insert(2, "second")).await.unwrap();
    let refused = WriteError::from(transaction.execute(insert(1, "again")).await.unwrap_err());
    drop(transaction);
    let other = WriteError::from(
        writers
            .execute_alone(Statement::from_string(
                DatabaseBackend::Postgres,
                "INSERT INTO notes (id, body) VALUES (3, NULL)",
            ))
            .await
            .unwrap_err(),
    );

    assert!(refused.is_unique_violation(), "{refused:?}");
    assert!(!other.is_unique_violation(), "{other:?}");
    assert!(
        !matches!(other, WriteError::Unavailable(_)),
        "a bug, not an outage"
    );
    assert_eq!(
        committed(&admin).await,
        [1],
        "`execute_alone` commits as it runs"
    );
}

#[tokio::test]
async fn a_transaction_holds_its_connection_from_begin_and_none_free_in_time_is_unavailability() {
    let (_database, _admin, writers) = notes().await;

    let idle = writers.begin().await.unwrap();
    let waiting = writers.begin().await;
    idle.commit().await.unwrap();
    let after = writers.begin().await.unwrap();
    after.execute(insert(1, "after")).await.unwrap();
    after.commit().await.unwrap();

    assert!(
        matches!(
            waiting.map(|_| ()).map_err(WriteError::from),
            Err(WriteError::Unavailable(_))
        ),
        "no free connection within the timeout is unavailability"
    );
}

#[tokio::test]
async fn a_server_that_refuses_connections_is_unavailability() {
    let url = PostgresUrl::read(&crate::testing::refusing_postgres_url())
        .unwrap()
        .unwrap();
    let writers = PostgresWriters {
        pool: crate::postgres::pool::pool(&url, &options(1)).unwrap(),
    };

    let begin = writers.begin().await.map(|_| ()).map_err(WriteError::from);
    let alone = writers
        .execute_alone(insert(1, "x"))
        .await
        .map_err(WriteError::from);

    for error in [begin.unwrap_err(), alone.unwrap_err()] {
        assert_eq!(
            Unavailable::find(&error),
            Some(Unavailability::Database),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn the_last_statements_go_with_the_commit_and_one_that_fails_commits_nothing() {
    let (_database, admin, writers) = notes().await;

    let first = writers.begin().await.unwrap();
    first.execute(insert(1, "shed")).await.unwrap();
    let repaint = Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "UPDATE notes SET body = $1 WHERE id > $2",
        ["repainted".into(), Value::Int(Some(1))],
    );
    let changed = first
        .commit_after(vec![insert(2, "roof"), insert(3, "door"), repaint])
        .await
        .unwrap();
    // Prepared for the first time here: none of them may run after the `COMMIT`.
    let fresh = Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "UPDATE notes SET body = $1 WHERE id = $2",
        ["painted".into(), Value::Int(Some(1))],
    );
    let second = writers.begin().await.unwrap();
    second.execute(insert(4, "gate")).await.unwrap();
    let refused = WriteError::from(
        second
            .commit_after(vec![fresh, insert(2, "again"), insert(5, "fence")])
            .await
            .unwrap_err(),
    );
    // Begun by the last statements themselves.
    let third = writers.begin().await.unwrap();
    third.commit_after(vec![insert(6, "path")]).await.unwrap();

    assert_eq!(
        changed,
        [1, 1, 2],
        "each statement's changed rows, in order"
    );
    assert!(refused.is_unique_violation(), "{refused:?}");
    assert_eq!(committed(&admin).await, [1, 2, 3, 6]);
    let bodies: Vec<Note> = writers
        .begin()
        .await
        .unwrap()
        .rows(select_all())
        .await
        .unwrap();
    assert_eq!(
        bodies[0].body, "shed",
        "the update rolled back with the rest"
    );
}
