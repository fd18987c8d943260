//! Why a statement on PostgreSQL's tokio-postgres pools (the readers' or the writers') failed,
//! told apart as the rules of unavailability need (`unavailability::postgres_error`).

use deadpool_postgres::PoolError;

use super::values::UnsupportedValue;
use crate::database_row::MissingColumn;

/// Why a statement on PostgreSQL's pools failed.
#[derive(Debug, thiserror::Error)]
pub enum PostgresError {
    /// No connection was free, or could be opened, within the timeout; or the pool is closed.
    #[error(transparent)]
    Pool(PoolError),
    /// A new connection failed: refused, cut, its TLS or its login refused.
    #[error(transparent)]
    Connect(tokio_postgres::Error),
    /// Preparing or running a statement (a transaction's `BEGIN` and `COMMIT` among them), or
    /// reading a row, failed.
    #[error(transparent)]
    Query(tokio_postgres::Error),
    #[error(transparent)]
    MissingColumn(#[from] MissingColumn),
    #[error(transparent)]
    Unsupported(#[from] UnsupportedValue),
}

/// deadpool's error, with a failed connection told apart (its own words would repeat the
/// driver's).
impl From<PoolError> for PostgresError {
    fn from(error: PoolError) -> Self {
        match error {
            PoolError::Backend(error) => Self::Connect(error),
            other => Self::Pool(other),
        }
    }
}

impl From<tokio_postgres::Error> for PostgresError {
    fn from(error: tokio_postgres::Error) -> Self {
        Self::Query(error)
    }
}
