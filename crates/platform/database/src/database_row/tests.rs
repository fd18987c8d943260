use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Connection;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DerivePartialModel, EntityTrait,
    IntoActiveModel, PartialModelTrait, QueryOrder, Schema,
};
use uuid::Uuid;

use super::*;
use crate::testing::{Postgres, Sqlite, TestDatabase};
use crate::{Database, DatabaseOptions, ReadConnection};

/// A table with a column of every type the contexts' entities use.
mod thing {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, crate::DatabaseRow)]
    #[sea_orm(table_name = "things")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub count: i32,
        pub total: i64,
        pub done: bool,
        pub ratio: f64,
        pub limit: Option<i32>,
        pub created_at: DateTimeUtc,
        pub archived_at: Option<DateTimeUtc>,
        #[sea_orm(column_name = "payload")]
        pub blob: Vec<u8>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Debug, PartialEq, DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "thing::Entity")]
struct NameAndCount {
    name: String,
    #[sea_orm(from_col = "total")]
    big: i64,
    count: i32,
}

fn connection() -> Connection {
    let connection = Connection::open_in_memory().unwrap();
    connection
        .execute_batch(
            "CREATE TABLE things (id BLOB, name TEXT, count INTEGER, total INTEGER, \
             done INTEGER, ratio REAL, \"limit\" INTEGER, created_at TEXT, archived_at TEXT, \
             payload BLOB)",
        )
        .unwrap();
    connection
}

/// Runs sea-orm's SELECT of `query` on `connection` and reads every row as an `R`.
fn select<E: EntityTrait, R: PartialModelTrait + DatabaseRow>(
    connection: &Connection,
    query: sea_orm::Select<E>,
) -> rusqlite::Result<Vec<R>> {
    let statement = query
        .into_partial_model::<R>()
        .into_statement(DatabaseBackend::Sqlite);
    let mut prepared = connection.prepare(&statement.sql)?;
    let columns = crate::database_row::column_indexes::<R>(&prepared)?;
    let rows = prepared.query_map([], |row| R::from_sqlite_row(row, &columns))?;
    rows.collect()
}

#[test]
fn every_column_of_an_entity_reads_back_from_what_sqlx_stores() {
    let connection = connection();
    let id = Uuid::now_v7();
    // As sqlx stores them: a UUID as 16 bytes, a date as RFC 3339 text, a bool as 0 or 1.
    connection
        .execute(
            "INSERT INTO things VALUES (?1, 'Garden', 3, 5000000000, 1, 0.5, NULL, \
             '2026-01-02T03:04:05.678901+00:00', '2026-01-03T00:00:00+00:00', x'0102')",
            [id.as_bytes().as_slice()],
        )
        .unwrap();

    let rows: Vec<thing::Model> = select(&connection, thing::Entity::find()).unwrap();

    let created = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
        + chrono::Duration::microseconds(678_901);
    assert_eq!(
        rows,
        vec![thing::Model {
            id,
            name: "Garden".into(),
            count: 3,
            total: 5_000_000_000,
            done: true,
            ratio: 0.5,
            limit: None,
            created_at: created,
            archived_at: Some(Utc.with_ymd_and_hms(2026, 1, 3, 0, 0, 0).unwrap()),
            blob: vec![1, 2],
        }]
    );
}

#[test]
fn a_partial_model_reads_its_columns_by_the_names_sea_orm_selects_them_as() {
    let connection = connection();
    connection
        .execute(
            "INSERT INTO things (id, name, count, total) VALUES (x'00', 'Shed', 7, 8)",
            [],
        )
        .unwrap();

    let rows: Vec<NameAndCount> = select(&connection, thing::Entity::find()).unwrap();

    assert_eq!(
        rows,
        vec![NameAndCount {
            name: "Shed".into(),
            big: 8,
            count: 7
        }]
    );
}

#[test]
fn each_field_reads_its_column_wherever_the_statement_puts_it() {
    let connection = connection();
    let mut statement = connection
        .prepare("SELECT 1 AS other, 7 AS COUNT, 8 AS big, 'Shed' AS name")
        .unwrap();
    let columns = crate::database_row::column_indexes::<NameAndCount>(&statement).unwrap();
    assert_eq!(columns, [3, 2, 1]);
    let row = statement
        .query_row([], |row| NameAndCount::from_sqlite_row(row, &columns))
        .unwrap();
    assert_eq!(
        row,
        NameAndCount {
            name: "Shed".into(),
            big: 8,
            count: 7
        }
    );
    let missing = connection.prepare("SELECT 'Shed' AS name").unwrap();
    assert!(crate::database_row::column_indexes::<NameAndCount>(&missing).is_err());
}

#[test]
fn dates_written_otherwise_are_read_as_rusqlite_reads_them() {
    let expected = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    for stored in ["'2026-01-02 03:04:05'", "1767323045"] {
        let connection = Connection::open_in_memory().unwrap();
        let date = connection
            .query_row(&format!("SELECT {stored} AS at"), [], |row| {
                derive_support::sqlite::column::<DateTime<Utc>>(row, "at", 0)
            })
            .unwrap();
        assert_eq!(date, expected, "{stored}");
    }
}

#[test]
fn a_null_or_a_value_that_does_not_fit_its_field_is_an_error_not_a_panic() {
    let connection = connection();
    // 2^40 does not fit `count`, an i32.
    connection
        .execute(
            "INSERT INTO things (id, name, count, total) VALUES (x'00', 'Big', 1099511627776, 1)",
            [],
        )
        .unwrap();
    let too_big: rusqlite::Result<Vec<NameAndCount>> = select(&connection, thing::Entity::find());
    assert!(
        matches!(too_big, Err(rusqlite::Error::IntegralValueOutOfRange(_, _))),
        "{too_big:?}"
    );

    connection
        .execute("UPDATE things SET name = NULL", [])
        .unwrap();
    let null: rusqlite::Result<Vec<NameAndCount>> = select(&connection, thing::Entity::find());
    assert!(
        matches!(null, Err(rusqlite::Error::InvalidColumnType(_, ref name, _)) if name == "name"),
        "{null:?}"
    );
}

/// Two things: one with every column set, one with its nullable columns `NULL`.
fn things() -> [thing::Model; 2] {
    let created = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
        + chrono::Duration::microseconds(678_901);
    [
        thing::Model {
            id: Uuid::now_v7(),
            name: "Garden".into(),
            count: -3,
            total: 5_000_000_000,
            done: true,
            ratio: 0.5,
            limit: Some(7),
            created_at: created,
            archived_at: Some(Utc.with_ymd_and_hms(2026, 1, 3, 0, 0, 0).unwrap()),
            blob: vec![1, 2],
        },
        thing::Model {
            id: Uuid::now_v7(),
            name: "Shed".into(),
            count: 0,
            total: 0,
            done: false,
            ratio: -1.25,
            limit: None,
            created_at: created,
            archived_at: None,
            blob: Vec::new(),
        },
    ]
}

#[tokio::test]
async fn the_same_struct_reads_the_same_on_either_database_s_readers_as_through_sea_orm() {
    for backend in [Sqlite, Postgres] {
        let database = TestDatabase::create(backend).await;
        let connected = Database::connect(&database.url, &DatabaseOptions::default())
            .await
            .unwrap();
        assert!(
            matches!(
                (backend, &connected.queries),
                (Sqlite, ReadConnection::SqliteReaders(_))
                    | (Postgres, ReadConnection::Postgres(_))
            ),
            "{backend}: the readers the server reads on"
        );
        let pool = &connected.pool;
        let create =
            Schema::new(pool.get_database_backend()).create_table_from_entity(thing::Entity);
        pool.execute_raw(pool.get_database_backend().build(&create))
            .await
            .unwrap();
        let expected = things();
        for thing in expected.clone() {
            thing.into_active_model().insert(pool).await.unwrap();
        }
        let in_order = || thing::Entity::find().order_by_asc(thing::Column::Name);

        let read: Vec<thing::Model> = connected
            .queries
            .all("reading things", in_order())
            .await
            .unwrap();
        let partial: Vec<NameAndCount> = connected
            .queries
            .all("reading things", in_order())
            .await
            .unwrap();

        assert_eq!(read, expected, "{backend}");
        assert_eq!(
            read,
            in_order().all(pool).await.unwrap(),
            "{backend}: as sea-orm reads it"
        );
        assert_eq!(
            partial,
            [
                NameAndCount {
                    name: "Garden".into(),
                    big: 5_000_000_000,
                    count: -3
                },
                NameAndCount {
                    name: "Shed".into(),
                    big: 0,
                    count: 0
                },
            ],
            "{backend}"
        );
    }
}
