//! The transactions that write on PostgreSQL, on a pool of their own beside the readers': a
//! Unit of Work that holds a connection from its first statement to its commit never waits for
//! one that a read holds, nor a read for one it holds.

use deadpool_postgres::Status;
use sea_orm::Statement;

use super::pool::{self, PostgresPool};
use super::{PostgresError, PostgresTransaction, statements};
use crate::postgres_url::PostgresUrl;
use crate::{ConnectError, DatabaseOptions};

/// The writers' pool. Cloning shares it; its connections close when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct PostgresWriters {
    pool: PostgresPool,
}

impl PostgresWriters {
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

    /// A transaction on a connection of the pool, which it holds until it commits or is
    /// dropped.
    pub(crate) async fn begin(&self) -> Result<PostgresTransaction, PostgresError> {
        Ok(PostgresTransaction::on(self.pool.get().await?))
    }

    /// Runs one insert, update or delete on its own (PostgreSQL commits it as it runs) and
    /// returns how many rows it changed.
    pub(crate) async fn execute_alone(&self, statement: Statement) -> Result<u64, PostgresError> {
        let client = self.pool.get().await?;
        statements::execute(&client, statement).await
    }
}

#[cfg(test)]
mod tests;
