//! Where writes run: on a SQLite file the writer's thread, on PostgreSQL the writers' pool,
//! otherwise a transaction on sea-orm's pool.

use std::sync::Arc;

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    PartialModelTrait, QueryTrait, Select, SqlErr, Statement,
};
use shared_kernel_application::{
    BusError, CommandDecorator, HandlerRun, Unavailability, Unavailable,
};
use shared_kernel_infrastructure::QueueRefusal;
use tokio_postgres::error::SqlState;

use crate::DatabaseRow;
use crate::connect::begin_write;
use crate::postgres::{PostgresError, PostgresTransaction, PostgresWriters};
use crate::sqlite::{SqliteStatement, SqliteTransaction, SqliteWriterThread, UnsupportedValue};
use crate::unavailability::{
    is_unavailable, is_unavailable_postgres_error, is_unavailable_rusqlite,
};

/// What every transaction that writes begins on (`Database::connect` picks it): on a SQLite
/// file the writer's thread (ADR 0014); on PostgreSQL the writers' tokio-postgres pool
/// (ADR 0025); otherwise (an in-memory SQLite database) sea-orm's pool.
#[derive(Debug, Clone)]
pub enum WriteConnection {
    Pool(DatabaseConnection),
    SqliteWriter(SqliteWriterThread),
    Postgres(PostgresWriters),
}

/// Why a write failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Database(DbErr),
    #[error(transparent)]
    Sqlite(rusqlite::Error),
    #[error(transparent)]
    Postgres(PostgresError),
    #[error(transparent)]
    Unsupported(#[from] UnsupportedValue),
    #[error("the SQLite writer's thread has stopped")]
    WriterStopped,
    /// The database did not answer, or the writer's queue refused the job; the edge answers
    /// 503 for the `Unavailable` beneath.
    #[error("the write was not made")]
    Unavailable(#[source] Unavailable),
}

/// sea-orm's errors, with the ones that say the database is unreachable marked as such.
impl From<DbErr> for WriteError {
    fn from(error: DbErr) -> Self {
        match is_unavailable(&error) {
            true => Self::Unavailable(Unavailable::because(Unavailability::Database, error)),
            false => Self::Database(error),
        }
    }
}

/// rusqlite's errors, with a locked, full or read-only file marked as unavailable.
impl From<rusqlite::Error> for WriteError {
    fn from(error: rusqlite::Error) -> Self {
        match is_unavailable_rusqlite(&error) {
            true => Self::Unavailable(Unavailable::because(Unavailability::Database, error)),
            false => Self::Sqlite(error),
        }
    }
}

/// tokio-postgres's errors, with the ones that say the server did not answer marked as such.
impl From<PostgresError> for WriteError {
    fn from(error: PostgresError) -> Self {
        match is_unavailable_postgres_error(&error) {
            true => Self::Unavailable(Unavailable::because(Unavailability::Database, error)),
            false => Self::Postgres(error),
        }
    }
}

impl From<QueueRefusal> for WriteError {
    fn from(refusal: QueueRefusal) -> Self {
        Self::Unavailable(refusal.unavailable())
    }
}

impl WriteError {
    /// Whether a unique index (or a primary key) refused the write.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            Self::Database(error) => {
                matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
            }
            Self::Sqlite(rusqlite::Error::SqliteFailure(error, _)) => matches!(
                error.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ),
            Self::Postgres(PostgresError::Query(error)) => {
                error.code() == Some(&SqlState::UNIQUE_VIOLATION)
            }
            _ => false,
        }
    }
}

impl WriteConnection {
    /// Begins a transaction that will write (`BEGIN IMMEDIATE` on SQLite).
    pub async fn begin(&self) -> Result<WriteTransaction, WriteError> {
        Ok(match self {
            Self::Pool(pool) => WriteTransaction::Pool(begin_write(pool).await?),
            Self::SqliteWriter(writer) => WriteTransaction::Sqlite(writer.begin().await?),
            Self::Postgres(writers) => WriteTransaction::Postgres(writers.begin().await?),
        })
    }

    /// Runs one insert, update or delete as a transaction of its own and returns how many
    /// rows it changed: on a pool as a single statement, on the writer's thread as a
    /// transaction that takes its turn like any other.
    pub async fn execute_alone<Q: QueryTrait>(&self, query: &Q) -> Result<u64, WriteError> {
        match self {
            Self::Pool(pool) => Ok(pool
                .execute_raw(query.build(pool.get_database_backend()))
                .await?
                .rows_affected()),
            Self::Postgres(writers) => Ok(writers
                .execute_alone(query.build(DatabaseBackend::Postgres))
                .await?),
            Self::SqliteWriter(_) => {
                let transaction = self.begin().await?;
                let changed = transaction.execute(query).await?;
                transaction.commit().await?;
                Ok(changed)
            }
        }
    }

    /// What the composition root wraps every command handler in: on the SQLite writer's
    /// thread a handler's Unit of Work writes without a hand-off per statement (ADR 0014);
    /// on a pool a handler runs where it is called, so there is nothing to wrap.
    pub fn command_decorator(&self) -> Option<Arc<dyn CommandDecorator>> {
        match self {
            Self::Pool(_) | Self::Postgres(_) => None,
            Self::SqliteWriter(writer) => Some(Arc::new(OnWriterThread(writer.clone()))),
        }
    }
}

/// Runs each command handler on the SQLite writer's thread.
struct OnWriterThread(SqliteWriterThread);

impl CommandDecorator for OnWriterThread {
    fn around(&self, _command: &'static str, run: HandlerRun) -> HandlerRun {
        let writer = self.0.clone();
        Box::pin(async move {
            writer.run(run).await.map_err(|error| match error {
                WriteError::Unavailable(refused) => BusError::Refused(refused),
                _ => BusError::Stopped,
            })?
        })
    }
}

/// A transaction that writes. The statements are built with sea-orm whatever runs them, and
/// rows read back into sea-orm's models (on SQLite's writer thread and PostgreSQL's writers
/// through `DatabaseRow`). Dropping it uncommitted rolls back.
pub enum WriteTransaction {
    Pool(DatabaseTransaction),
    Sqlite(SqliteTransaction),
    Postgres(PostgresTransaction),
}

impl WriteTransaction {
    /// Every row of `query`, as `R`s.
    pub async fn all<E, R>(&self, query: Select<E>) -> Result<Vec<R>, WriteError>
    where
        E: EntityTrait,
        R: PartialModelTrait + DatabaseRow + Send + 'static,
    {
        let query = query.into_partial_model::<R>();
        match self {
            Self::Pool(transaction) => Ok(query.all(transaction).await?),
            Self::Sqlite(transaction) => {
                let statement =
                    SqliteStatement::new(query.into_statement(DatabaseBackend::Sqlite))?;
                transaction.rows(statement).await
            }
            Self::Postgres(transaction) => Ok(transaction
                .rows(query.into_statement(DatabaseBackend::Postgres))
                .await?),
        }
    }

    /// The row `query` finds by a unique key, if any.
    ///
    /// Not `LIMIT 1`: SQLite's planner reads a bound limit, so it prepares such a statement
    /// again every time it runs, which cost a parse and a plan on every write's load
    /// (docs/benchmarks.md).
    pub async fn find_unique<E, R>(&self, query: Select<E>) -> Result<Option<R>, WriteError>
    where
        E: EntityTrait,
        R: PartialModelTrait + DatabaseRow + Send + 'static,
    {
        Ok(self.all(query).await?.into_iter().next())
    }

    /// Runs an insert, update or delete and returns how many rows it changed.
    pub async fn execute<Q: QueryTrait>(&self, query: &Q) -> Result<u64, WriteError> {
        match self {
            Self::Pool(transaction) => Ok(transaction
                .execute_raw(query.build(transaction.get_database_backend()))
                .await?
                .rows_affected()),
            Self::Sqlite(transaction) => {
                let statement = SqliteStatement::new(query.build(DatabaseBackend::Sqlite))?;
                transaction.execute(statement).await
            }
            Self::Postgres(transaction) => Ok(transaction
                .execute(query.build(DatabaseBackend::Postgres))
                .await?),
        }
    }

    /// `query` built for this transaction's database, for `commit_after`.
    pub fn statement<Q: QueryTrait>(&self, query: &Q) -> Statement {
        query.build(match self {
            Self::Pool(transaction) => transaction.get_database_backend(),
            Self::Sqlite(_) => DatabaseBackend::Sqlite,
            Self::Postgres(_) => DatabaseBackend::Postgres,
        })
    }

    /// Runs `last` (inserts, updates or deletes built by `statement`, in order), then commits.
    /// On PostgreSQL they go out with the `COMMIT` in one write, which spares a round trip per
    /// transaction; elsewhere they run one after the other. If one fails, nothing commits.
    /// Returns how many rows each statement changed, in order.
    pub async fn commit_after(self, last: Vec<Statement>) -> Result<Vec<u64>, WriteError> {
        let mut changed = Vec::with_capacity(last.len());
        match self {
            Self::Postgres(transaction) => return Ok(transaction.commit_after(last).await?),
            Self::Pool(transaction) => {
                for statement in last {
                    changed.push(transaction.execute_raw(statement).await?.rows_affected());
                }
                transaction.commit().await?;
            }
            Self::Sqlite(transaction) => {
                for statement in last {
                    changed.push(
                        transaction
                            .execute(SqliteStatement::new(statement)?)
                            .await?,
                    );
                }
                transaction.commit().await?;
            }
        }
        Ok(changed)
    }

    pub async fn commit(self) -> Result<(), WriteError> {
        match self {
            Self::Pool(transaction) => Ok(transaction.commit().await?),
            Self::Sqlite(transaction) => transaction.commit().await,
            Self::Postgres(transaction) => Ok(transaction.commit().await?),
        }
    }
}
