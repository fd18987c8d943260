//! How a row reads into a sea-orm model where sea-orm does not read it: on SQLite's reader and
//! writer threads (rusqlite) and on PostgreSQL's readers (tokio-postgres). The one bridge
//! between those drivers and every entity and read model of every context (ADR 0015).
//!
//! sea-orm reads a row into a model with the `FromQueryResult` that its derives write, from
//! sqlx's rows only (`proxy`, the feature that would let it read others, does not build with
//! `sqlx-sqlite` in sea-orm 2.0.4). So `#[derive(DatabaseRow)]`, beside `DeriveEntityModel` or
//! `DerivePartialModel`, writes the same reading for each driver from the struct's fields:
//! each field reads the column of its name. Nothing is written by hand per entity, and a
//! context's crates never name a driver.

use tokio_postgres::Statement as PostgresStatement;

pub use platform_database_derive::DatabaseRow;

/// A struct that reads from a row of SQLite's or PostgreSQL's own driver; derive it with
/// `#[derive(DatabaseRow)]`. The same struct reads the same values on both databases.
pub trait DatabaseRow: Sized {
    /// The names of the columns the fields read, in field order.
    const COLUMNS: &'static [&'static str];

    /// The row, each field read from its column, which is at `columns[i]` for the i-th name
    /// of `COLUMNS` (`column_indexes` finds them once per statement: by name, a row of n
    /// columns would cost n² name comparisons).
    fn from_sqlite_row(row: &rusqlite::Row<'_>, columns: &[usize]) -> rusqlite::Result<Self>;

    /// The same on PostgreSQL, the columns found by `postgres_column_indexes`.
    fn from_postgres_row(
        row: &tokio_postgres::Row,
        columns: &[usize],
    ) -> Result<Self, tokio_postgres::Error>;
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

/// A column that a row's type reads and the statement does not select.
#[derive(Debug, thiserror::Error)]
#[error("the statement selects no column named {0:?}")]
pub struct MissingColumn(&'static str);

/// Where each of `R::COLUMNS` is in a PostgreSQL `statement`'s result. The names are matched
/// exactly, as sqlx matches them: sea-query quotes every name it selects.
pub fn postgres_column_indexes<R: DatabaseRow>(
    statement: &PostgresStatement,
) -> Result<Vec<usize>, MissingColumn> {
    let columns = statement.columns();
    R::COLUMNS
        .iter()
        .map(|&name| {
            columns
                .iter()
                .position(|column| column.name() == name)
                .ok_or(MissingColumn(name))
        })
        .collect()
}

/// What `#[derive(DatabaseRow)]` expands to; not for use by hand.
#[doc(hidden)]
pub mod derive_support {
    /// Reading a field on SQLite's threads.
    pub mod sqlite {
        pub use rusqlite::{Result, Row};

        use crate::SqliteColumn;

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
                other => rusqlite::Error::FromSqlConversionFailure(
                    index,
                    value.data_type(),
                    other.into(),
                ),
            })
        }
    }

    /// Reading a field on PostgreSQL's readers.
    pub mod postgres {
        pub use tokio_postgres::{Error, Row};

        use tokio_postgres::types::FromSqlOwned;

        /// The column of `row` at `index`, as a `T`: any type tokio-postgres reads, `Option`
        /// for a column that may be `NULL`. PostgreSQL sends each value in its binary form,
        /// typed: a column of another type than the field's is an error, not a conversion.
        pub fn column<T: FromSqlOwned>(row: &Row, index: usize) -> Result<T, Error> {
            row.try_get(index)
        }
    }
}

#[cfg(test)]
mod tests;
