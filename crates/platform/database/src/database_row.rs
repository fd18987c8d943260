//! How a row reads on SQLite's own threads: the one bridge between rusqlite and every entity
//! and read model of every context (ADR 0015).
//!
//! On PostgreSQL, sea-orm reads a row into a model with the `FromQueryResult` that its derives
//! write. On SQLite's reader and writer threads the rows come from rusqlite, which sea-orm
//! cannot read (`proxy`, the feature that would let it, does not build with `sqlx-sqlite` in
//! sea-orm 2.0.4). So `#[derive(DatabaseRow)]`, beside `DeriveEntityModel` or
//! `DerivePartialModel`, writes the same reading for rusqlite from the struct's fields: each
//! field reads the column of its name. Nothing is written by hand per entity, and a context's
//! crates never name rusqlite.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlResult, ValueRef};
use uuid::Uuid;

pub use platform_database_derive::DatabaseRow;

/// A struct that reads from a row on a SQLite thread; derive it with `#[derive(DatabaseRow)]`.
pub trait DatabaseRow: Sized {
    /// The names of the columns the fields read, in field order.
    const COLUMNS: &'static [&'static str];

    /// The row, each field read from its column, which is at `columns[i]` for the i-th name
    /// of `COLUMNS` (`column_indexes` finds them once per statement: by name, a row of n
    /// columns would cost n² name comparisons).
    fn from_sqlite_row(row: &Row<'_>, columns: &[usize]) -> rusqlite::Result<Self>;
}

/// Where each of `R::COLUMNS` is in `statement`'s result.
pub fn column_indexes<R: DatabaseRow>(
    statement: &rusqlite::Statement<'_>,
) -> rusqlite::Result<Vec<usize>> {
    R::COLUMNS
        .iter()
        .map(|name| statement.column_index(name))
        .collect()
}

/// A field type a `DatabaseRow` can read: its value as sqlx stores it in SQLite, so that a row
/// reads the same on the pool and on our threads.
pub trait SqliteColumn: Sized {
    fn from_stored(value: ValueRef<'_>) -> FromSqlResult<Self>;
}

/// What `#[derive(DatabaseRow)]` expands to; not for use by hand.
#[doc(hidden)]
pub mod derive_support {
    pub use rusqlite::{Result, Row};

    use super::SqliteColumn;

    /// The column `name` of `row`, at `index`, as a `T`.
    pub fn column<T: SqliteColumn>(row: &Row<'_>, name: &str, index: usize) -> Result<T> {
        let value = row.get_ref(index)?;
        T::from_stored(value).map_err(|error| match error {
            rusqlite::types::FromSqlError::InvalidType => {
                rusqlite::Error::InvalidColumnType(index, name.to_owned(), value.data_type())
            }
            rusqlite::types::FromSqlError::OutOfRange(n) => {
                rusqlite::Error::IntegralValueOutOfRange(index, n)
            }
            other => {
                rusqlite::Error::FromSqlConversionFailure(index, value.data_type(), other.into())
            }
        })
    }
}

/// The types whose SQLite storage rusqlite reads as sqlx writes it.
macro_rules! stored_as_rusqlite_reads_it {
    ($($type:ty),* $(,)?) => {
        $(impl SqliteColumn for $type {
            fn from_stored(value: ValueRef<'_>) -> FromSqlResult<Self> {
                <$type as FromSql>::column_result(value)
            }
        })*
    };
}

// sqlx stores a UUID as its 16 bytes, which rusqlite reads; a bool as 0 or 1.
stored_as_rusqlite_reads_it!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    f32,
    f64,
    String,
    Vec<u8>,
    Uuid,
    NaiveDate,
    NaiveTime,
    NaiveDateTime,
);

/// sqlx stores a `DateTime<Utc>` as RFC 3339 text, which chrono's RFC 3339 parser reads
/// directly; rusqlite's own conversion goes through chrono's format-string parser, which took
/// a tenth of a task page's CPU. Anything else (a date written by hand, say) gets rusqlite's
/// broader reading.
impl SqliteColumn for DateTime<Utc> {
    fn from_stored(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let parsed = match value {
            ValueRef::Text(text) => std::str::from_utf8(text)
                .ok()
                .and_then(|text| DateTime::parse_from_rfc3339(text).ok()),
            _ => None,
        };
        match parsed {
            Some(date) => Ok(date.with_timezone(&Utc)),
            None => DateTime::<Utc>::column_result(value),
        }
    }
}

/// `NULL` is `None`; anything else is read as a `T`.
impl<T: SqliteColumn> SqliteColumn for Option<T> {
    fn from_stored(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Null => Ok(None),
            value => T::from_stored(value).map(Some),
        }
    }
}

#[cfg(test)]
mod tests;
