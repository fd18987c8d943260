//! The read sides' queries on PostgreSQL, on a pool of their own (`statements` says how each
//! runs).

use deadpool_postgres::Status;
use sea_orm::Statement;
use shared_kernel_application::InfrastructureError;

use super::pool::{self, PostgresPool};
use super::{PostgresError, statements};
use crate::postgres_url::PostgresUrl;
use crate::unavailability::postgres_error;
use crate::{ConnectError, DatabaseOptions, DatabaseRow};

/// A pool of connections to PostgreSQL for the read sides. Cloning shares it; its connections
/// close when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct PostgresReaders {
    pool: PostgresPool,
}

impl PostgresReaders {
    /// How many connections the pool has open, and how many of them are free.
    pub(crate) fn status(&self) -> Status {
        self.pool.status()
    }

    /// Opens the pool and its first connection (`pool::open`).
    pub(crate) async fn open(
        url: &PostgresUrl,
        options: &DatabaseOptions,
    ) -> Result<Self, ConnectError> {
        Ok(Self {
            pool: pool::open(url, options).await?,
        })
    }

    /// Runs `statement` (built for PostgreSQL) and reads each row as an `R`.
    pub(crate) async fn all<R: DatabaseRow>(
        &self,
        during: &'static str,
        statement: Statement,
    ) -> Result<Vec<R>, InfrastructureError> {
        self.rows(statement)
            .await
            .map_err(|error| postgres_error(during, error))
    }

    async fn rows<R: DatabaseRow>(&self, statement: Statement) -> Result<Vec<R>, PostgresError> {
        let client = self.pool.get().await?;
        statements::rows(&client, statement).await
    }
}

#[cfg(test)]
mod tests;
