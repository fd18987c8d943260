//! Why a read on PostgreSQL's readers failed, told apart as the rules of unavailability need
//! (`unavailability::postgres_read_error`).

use deadpool_postgres::PoolError;

use super::values::UnsupportedValue;
use crate::database_row::MissingColumn;

/// Why a read on PostgreSQL's readers failed.
#[derive(Debug, thiserror::Error)]
pub enum PostgresReadError {
    /// No connection was free, or could be opened, within the timeout; or the pool is closed.
    #[error(transparent)]
    Pool(PoolError),
    /// A new connection failed: refused, cut, its TLS or its login refused.
    #[error(transparent)]
    Connect(tokio_postgres::Error),
    /// Preparing or running the statement, or reading a row, failed.
    #[error(transparent)]
    Query(tokio_postgres::Error),
    #[error(transparent)]
    MissingColumn(#[from] MissingColumn),
    #[error(transparent)]
    Unsupported(#[from] UnsupportedValue),
}

/// deadpool's error, with a failed connection told apart (its own words would repeat the
/// driver's).
impl From<PoolError> for PostgresReadError {
    fn from(error: PoolError) -> Self {
        match error {
            PoolError::Backend(error) => Self::Connect(error),
            other => Self::Pool(other),
        }
    }
}

impl From<tokio_postgres::Error> for PostgresReadError {
    fn from(error: tokio_postgres::Error) -> Self {
        Self::Query(error)
    }
}
