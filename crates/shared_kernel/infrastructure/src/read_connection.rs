//! Where a read side's queries run: sea-orm's pool, or on SQLite the reader threads.

use sea_orm::{
    DatabaseBackend, DatabaseConnection, EntityTrait, PartialModelTrait, QuerySelect, Select,
};
use shared_kernel_application::InfrastructureError;

use crate::SqliteReaders;

/// A read model's row: the columns sea-orm selects for it, and how each driver reads them
/// back. The read sides build each query once, with sea-orm; only reading a row is written
/// per driver.
pub trait ReadRow: PartialModelTrait + Send + Sized + 'static {
    /// The row as rusqlite reads it on a SQLite reader thread, by column name.
    fn from_sqlite_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

/// The connection of a read side (`connect_pools` picks it): on a SQLite file, the reader
/// threads (ADR 0013); otherwise sea-orm's pool.
#[derive(Debug, Clone)]
pub enum ReadConnection {
    Pool(DatabaseConnection),
    SqliteReaders(SqliteReaders),
}

impl ReadConnection {
    /// Every row of `query`, as `R`s; `during` says what for, in errors.
    pub async fn all<E, R>(
        &self,
        during: &'static str,
        query: Select<E>,
    ) -> Result<Vec<R>, InfrastructureError>
    where
        E: EntityTrait,
        R: ReadRow,
    {
        let query = query.into_partial_model::<R>();
        match self {
            Self::Pool(pool) => query
                .all(pool)
                .await
                .map_err(InfrastructureError::during(during)),
            Self::SqliteReaders(readers) => {
                let statement = query.into_statement(DatabaseBackend::Sqlite);
                readers.all(during, statement).await
            }
        }
    }

    /// The first row of `query`, if any.
    pub async fn one<E, R>(
        &self,
        during: &'static str,
        query: Select<E>,
    ) -> Result<Option<R>, InfrastructureError>
    where
        E: EntityTrait,
        R: ReadRow,
    {
        let rows = self.all(during, query.limit(1)).await?;
        Ok(rows.into_iter().next())
    }
}
