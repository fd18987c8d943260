//! How a field reads its column on SQLite's threads: the value as sqlx stores it in SQLite, so
//! that a row reads the same on the pool and on our threads (ADR 0015).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rusqlite::types::{FromSql, FromSqlResult, ValueRef};
use uuid::Uuid;

/// A field type a `DatabaseRow` can read on SQLite: its value as sqlx stores it there.
pub trait SqliteColumn: Sized {
    fn from_stored(value: ValueRef<'_>) -> FromSqlResult<Self>;
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
