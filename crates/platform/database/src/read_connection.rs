//! Where a read side's queries run: on a SQLite file the reader threads, on PostgreSQL the
//! readers' pool, otherwise sea-orm's pool.

use sea_orm::{
    DatabaseBackend, DatabaseConnection, EntityTrait, PartialModelTrait, QuerySelect, Select,
};
use shared_kernel_application::InfrastructureError;

use crate::DatabaseRow;
use crate::postgres::PostgresReaders;
use crate::sqlite::SqliteReaderThreads;
use crate::unavailability::database_error;

/// The connection of a read side (`Database::connect` picks it): on a SQLite file, the reader
/// threads (ADR 0013); on PostgreSQL, the readers' tokio-postgres pool; otherwise (an
/// in-memory SQLite database, tools) sea-orm's pool. A read model's row is a sea-orm partial
/// model (or an entity's model) that also derives `DatabaseRow`, which reads the same columns
/// on either readers (ADR 0015).
#[derive(Debug, Clone)]
pub enum ReadConnection {
    Pool(DatabaseConnection),
    SqliteReaders(SqliteReaderThreads),
    Postgres(PostgresReaders),
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
            Self::Postgres(readers) => {
                let statement = query.into_statement(DatabaseBackend::Postgres);
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
