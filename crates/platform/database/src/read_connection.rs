//! Where a read side's queries run: sea-orm's pool, or on a SQLite file the reader threads.

use sea_orm::{
    DatabaseBackend, DatabaseConnection, EntityTrait, PartialModelTrait, QuerySelect, Select,
};
use shared_kernel_application::InfrastructureError;

use crate::DatabaseRow;
use crate::sqlite::SqliteReaderThreads;
use crate::unavailability::database_error;

/// The connection of a read side (`Database::connect` picks it): on a SQLite file, the reader
/// threads (ADR 0013); otherwise sea-orm's pool. A read model's row is a sea-orm partial model
/// (or an entity's model) that also derives `DatabaseRow`, which reads the same columns on the
/// reader threads (ADR 0015).
#[derive(Debug, Clone)]
pub enum ReadConnection {
    Pool(DatabaseConnection),
    SqliteReaders(SqliteReaderThreads),
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
        R: PartialModelTrait + DatabaseRow + Send + 'static,
    {
        let query = query.into_partial_model::<R>();
        match self {
            Self::Pool(pool) => query
                .all(pool)
                .await
                .map_err(|error| database_error(during, error)),
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
        R: PartialModelTrait + DatabaseRow + Send + 'static,
    {
        let rows = self.all(during, query.limit(1)).await?;
        Ok(rows.into_iter().next())
    }
}
