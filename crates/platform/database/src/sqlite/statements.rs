//! Running a statement that sea-orm built for SQLite on a rusqlite connection: the one place
//! the reader threads and the writer's thread share.

use rusqlite::Connection;
use sea_orm::Statement;

use super::values::{self, UnsupportedValue};
use crate::DatabaseRow;

/// A statement ready for rusqlite: its SQL and its values, converted up front so that a job
/// sent to a SQLite thread carries no sea-orm types.
pub(crate) struct SqliteStatement {
    sql: String,
    values: Vec<rusqlite::types::Value>,
}

impl SqliteStatement {
    /// Converts `statement`. A final bound `LIMIT` becomes a literal (`with_literal_limit`).
    pub(crate) fn new(statement: Statement) -> Result<Self, UnsupportedValue> {
        let values = values::to_rusqlite(statement.values)?;
        let (sql, values) = values::with_literal_limit(statement.sql, values);
        Ok(Self { sql, values })
    }

    /// Runs the statement as a query and reads each row as an `R`.
    pub(crate) fn rows<R: DatabaseRow>(self, connection: &Connection) -> rusqlite::Result<Vec<R>> {
        let mut prepared = connection.prepare_cached(&self.sql)?;
        let columns = crate::database_row::column_indexes::<R>(&prepared)?;
        let rows = prepared.query_map(rusqlite::params_from_iter(self.values), |row| {
            R::from_sqlite_row(row, &columns)
        })?;
        rows.collect()
    }

    /// Runs the statement and returns how many rows it changed.
    pub(crate) fn execute(self, connection: &Connection) -> rusqlite::Result<u64> {
        let mut prepared = connection.prepare_cached(&self.sql)?;
        let changed = prepared.execute(rusqlite::params_from_iter(self.values))?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }
}
