use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, Value};
use shared_kernel_application::{Unavailability, Unavailable};
use uuid::Uuid;

use super::*;
use crate::database_row::postgres_column_indexes;
use crate::postgres::pool::pool;
use crate::postgres::statements::PREPARED_STATEMENTS_PER_CONNECTION;
use crate::testing::{Postgres, TestDatabase};

#[derive(Debug, PartialEq, DatabaseRow)]
struct NameAndCount {
    name: String,
    big: i64,
    count: i32,
}

#[derive(Debug, PartialEq, DatabaseRow)]
struct Maybe {
    name: Option<String>,
    count: Option<i32>,
}

#[derive(Debug, PartialEq, DatabaseRow)]
struct Stamp {
    id: Uuid,
    at: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

#[derive(Debug, PartialEq, DatabaseRow)]
struct Setting {
    value: String,
}

fn options(max_connections: u32) -> DatabaseOptions {
    DatabaseOptions {
        max_connections,
        timeout: Duration::from_millis(300),
        ..DatabaseOptions::default()
    }
}

async fn readers_of(url: &str, max_connections: u32) -> PostgresReaders {
    let url = PostgresUrl::read(url).unwrap().unwrap();
    PostgresReaders::open(&url, &options(max_connections))
        .await
        .unwrap()
}

fn assert_unavailable(error: &InfrastructureError) {
    assert_eq!(
        Unavailable::find(error),
        Some(Unavailability::Database),
        "{error:?}"
    );
}

fn statement(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DatabaseBackend::Postgres, sql, values)
}

async fn rows<R: DatabaseRow>(
    readers: &PostgresReaders,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<R>, InfrastructureError> {
    readers.all("reading", statement(sql, values)).await
}

#[tokio::test]
async fn each_field_reads_its_column_wherever_the_statement_puts_it() {
    let database = TestDatabase::create(Postgres).await;
    let readers = readers_of(&database.url, 1).await;
    let sql = "SELECT 1 AS other, 7::int4 AS count, 8::int8 AS big, 'Shed'::text AS name";

    let client = readers.pool.get().await.unwrap();
    let prepared = client.prepare(sql).await.unwrap();
    assert_eq!(
        postgres_column_indexes::<NameAndCount>(&prepared).unwrap(),
        [3, 2, 1]
    );
    drop(client);
    let read: Vec<NameAndCount> = rows(&readers, sql, vec![]).await.unwrap();

    assert_eq!(
        read,
        [NameAndCount {
            name: "Shed".into(),
            big: 8,
            count: 7
        }]
    );
    let missing = rows::<NameAndCount>(&readers, "SELECT 'Shed'::text AS name", vec![])
        .await
        .unwrap_err();
    assert!(
        shared_kernel_application::error_chain(&missing)
            .ends_with("the statement selects no column named \"big\""),
        "{missing:?}"
    );
}

#[tokio::test]
async fn a_null_is_none_and_an_error_where_the_field_cannot_be_none() {
    let database = TestDatabase::create(Postgres).await;
    let readers = readers_of(&database.url, 1).await;

    let nulls: Vec<Maybe> = rows(
        &readers,
        "SELECT NULL::text AS name, NULL::int4 AS count",
        vec![],
    )
    .await
    .unwrap();
    let values: Vec<Maybe> = rows(
        &readers,
        "SELECT $1 AS name, $2 AS count",
        vec!["Shed".into(), 3_i32.into()],
    )
    .await
    .unwrap();

    assert_eq!(
        nulls,
        [Maybe {
            name: None,
            count: None
        }]
    );
    assert_eq!(
        values,
        [Maybe {
            name: Some("Shed".into()),
            count: Some(3)
        }]
    );
    let null_name = rows::<NameAndCount>(
        &readers,
        "SELECT NULL::text AS name, 1::int8 AS big, 1::int4 AS count",
        vec![],
    )
    .await;
    assert!(null_name.is_err(), "{null_name:?}");
    // tokio-postgres reads each type as it is: an INT8 is no `i32`.
    let wider = rows::<NameAndCount>(
        &readers,
        "SELECT 'Shed'::text AS name, 1::int8 AS big, 1::int8 AS count",
        vec![],
    )
    .await
    .unwrap_err();
    assert_eq!(Unavailable::find(&wider), None, "a bug, not an outage");
}

#[tokio::test]
async fn a_uuid_and_a_timestamptz_go_in_and_come_back_as_they_were() {
    let database = TestDatabase::create(Postgres).await;
    let pool = sea_orm::Database::connect(&database.url).await.unwrap();
    pool.execute_unprepared(
        "CREATE TABLE stamps (id uuid PRIMARY KEY, at timestamptz NOT NULL, until timestamptz, \
         number integer NOT NULL)",
    )
    .await
    .unwrap();
    let (id, other) = (Uuid::now_v7(), Uuid::now_v7());
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 9, 30, 5).unwrap()
        + chrono::TimeDelta::microseconds(120_501);
    for (id, number) in [(id, 7), (other, 8)] {
        pool.execute_raw(statement(
            "INSERT INTO stamps VALUES ($1, $2, NULL, $3)",
            vec![id.into(), at.into(), Value::Int(Some(number))],
        ))
        .await
        .unwrap();
    }
    let readers = readers_of(&database.url, 1).await;

    // As sea-orm binds them: the task cursor's number is an `i64` against an INTEGER column.
    let read: Vec<Stamp> = rows(
        &readers,
        "SELECT id, at, until FROM stamps WHERE id = $1 AND at = $2 AND number < $3",
        vec![id.into(), at.into(), Value::BigInt(Some(8))],
    )
    .await
    .unwrap();

    assert_eq!(
        read,
        [Stamp {
            id,
            at,
            until: None
        }]
    );
}

#[tokio::test]
async fn each_session_is_in_utc_and_named_as_the_url_says() {
    let database = TestDatabase::create(Postgres).await;
    let url = format!("{}?application_name=reader-test", database.url);
    let readers = readers_of(&url, 1).await;

    let settings: Vec<Setting> = rows(
        &readers,
        "SELECT current_setting('TimeZone') AS value \
         UNION ALL SELECT current_setting('application_name')",
        vec![],
    )
    .await
    .unwrap();

    assert_eq!(
        settings,
        [
            Setting {
                value: "UTC".into()
            },
            Setting {
                value: "reader-test".into()
            }
        ]
    );
}

#[tokio::test]
async fn a_server_that_refuses_connections_is_unavailability() {
    let url = PostgresUrl::read(&crate::testing::refusing_postgres_url())
        .unwrap()
        .unwrap();
    let readers = PostgresReaders {
        pool: pool(&url, &options(1)).unwrap(),
    };

    let error = rows::<Setting>(&readers, "SELECT 'x' AS value", vec![])
        .await
        .unwrap_err();

    assert_unavailable(&error);
    let opening = PostgresReaders::open(&url, &options(1)).await.unwrap_err();
    assert!(
        shared_kernel_application::error_chain(&opening)
            .starts_with("could not open a database pool: error connecting to server: "),
        "{opening:?}"
    );
}

#[tokio::test]
async fn no_free_connection_within_the_timeout_is_unavailability() {
    let database = TestDatabase::create(Postgres).await;
    let readers = readers_of(&database.url, 1).await;
    let _taken = readers.pool.get().await.unwrap();

    let error = rows::<Setting>(&readers, "SELECT 'x' AS value", vec![])
        .await
        .unwrap_err();

    assert_unavailable(&error);
}

#[tokio::test]
async fn a_connection_the_server_closed_is_unavailability_and_then_replaced() {
    let database = TestDatabase::create(Postgres).await;
    let admin = sea_orm::Database::connect(&database.url).await.unwrap();
    let readers = readers_of(&database.url, 1).await;
    let client = readers.pool.get().await.unwrap();
    let pid: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);

    admin
        .execute_unprepared(&format!("SELECT pg_terminate_backend({pid})"))
        .await
        .unwrap();
    let closed = loop {
        match client.query_one("SELECT 1", &[]).await {
            Err(error) => break error,
            // The server may still be on its way out.
            Ok(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    };
    drop(client);

    let error = postgres_error("reading", PostgresError::Query(closed));
    assert_unavailable(&error);
    // The pool finds the connection closed when it hands it out again (at once, or after
    // the connection's task has seen the end), and opens another: within a few tries.
    let mut attempts = 0;
    let read: Vec<Setting> = loop {
        attempts += 1;
        match rows(&readers, "SELECT 'back' AS value", vec![]).await {
            Ok(read) => break read,
            Err(error) if attempts < 5 => {
                assert_unavailable(&error);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(error) => panic!("no new connection after {attempts} tries: {error}"),
        }
    };
    assert_eq!(
        read,
        [Setting {
            value: "back".into()
        }]
    );
}

#[tokio::test]
async fn a_statement_the_server_refuses_is_an_error_and_not_unavailability() {
    let database = TestDatabase::create(Postgres).await;
    let readers = readers_of(&database.url, 1).await;

    let error = rows::<Setting>(&readers, "SELECT value FROM missing", vec![])
        .await
        .unwrap_err();

    assert_eq!(Unavailable::find(&error), None, "{error:?}");
    assert!(
        shared_kernel_application::error_chain(&error)
            .contains("relation \"missing\" does not exist"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_connection_keeps_a_bounded_number_of_prepared_statements() {
    let database = TestDatabase::create(Postgres).await;
    let readers = readers_of(&database.url, 1).await;

    for n in 0..PREPARED_STATEMENTS_PER_CONNECTION + 10 {
        let read: Vec<Setting> = rows(&readers, &format!("SELECT '{n}' AS value"), vec![])
            .await
            .unwrap();
        assert_eq!(
            read,
            [Setting {
                value: n.to_string()
            }]
        );
    }

    let client = readers.pool.get().await.unwrap();
    let cached = client.statement_cache.size();
    assert!(
        (1..=PREPARED_STATEMENTS_PER_CONNECTION).contains(&cached),
        "{cached}"
    );
    // The server's own count: the forgotten statements were closed there too.
    let on_server: i64 = client
        .query_one("SELECT count(*) FROM pg_prepared_statements", &[])
        .await
        .unwrap()
        .get(0);
    let on_server = usize::try_from(on_server).unwrap();
    assert!(
        on_server <= cached + 1,
        "{on_server} on the server, {cached} cached"
    );
}
