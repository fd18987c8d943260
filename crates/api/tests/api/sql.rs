//! Looking at the tables directly, and waiting for what the outbox does in the background.

use std::future::Future;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, Statement};

/// How long a test waits for the outbox to do what it expects before it fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Polls `check` until it returns a value, and fails the test after `PATIENCE`.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "gave up after {PATIENCE:?} waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A statement with `$1`-style parameters, which both databases understand.
pub fn statement(
    database: &DatabaseConnection,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Statement {
    Statement::from_sql_and_values(database.get_database_backend(), sql, values)
}

pub async fn query(
    database: &DatabaseConnection,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Vec<QueryResult> {
    database
        .query_all_raw(statement(database, sql, values))
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
}

pub async fn execute(database: &DatabaseConnection, sql: &str, values: Vec<sea_orm::Value>) -> u64 {
    database
        .execute_raw(statement(database, sql, values))
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
        .rows_affected()
}

/// The one number `sql` selects (a `COUNT(*)`).
pub async fn count(database: &DatabaseConnection, sql: &str) -> i64 {
    let row = database
        .query_one_raw(Statement::from_string(database.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}
