//! The read sides' queries on PostgreSQL: each statement prepared once per connection and kept,
//! its values bound in their binary form (`values`), and its rows read by position.

use std::fmt;

use deadpool_postgres::{Object, Pool, PoolError};
use sea_orm::Statement;
use shared_kernel_application::InfrastructureError;

use super::PostgresReadError;
use super::pool::pool;
use super::values::to_postgres;
use crate::database_row::postgres_column_indexes;
use crate::postgres_url::PostgresUrl;
use crate::unavailability::postgres_read_error;
use crate::{ConnectError, DatabaseOptions, DatabaseRow};

/// How many prepared statements a connection keeps before it forgets them all. The read sides
/// have about 17 shapes of query, but the task lists' filters and sorts combine into many more
/// texts of SQL, each a statement of its own that the server keeps a plan of for as long as
/// the connection does.
const PREPARED_STATEMENTS_PER_CONNECTION: usize = 256;

/// A pool of connections to PostgreSQL for the read sides. Cloning shares it; its connections
/// close when the last clone is dropped.
#[derive(Clone)]
pub struct PostgresReaders {
    pool: Pool,
}

impl fmt::Debug for PostgresReaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresReaders")
            .field("status", &self.pool.status())
            .finish_non_exhaustive()
    }
}

impl PostgresReaders {
    /// Opens the pool and its first connection, as sqlx's pool opens its own: a server that
    /// cannot be reached, or whose TLS or login refuses, stops start-up, said in one line.
    pub(crate) async fn open(
        url: &PostgresUrl,
        options: &DatabaseOptions,
    ) -> Result<Self, ConnectError> {
        let readers = Self {
            pool: pool(url, options)?,
        };
        match readers.pool.get().await {
            Ok(_) => Ok(readers),
            Err(PoolError::Backend(error)) => Err(match url.tls.reader_failure(&error) {
                Some(tls) => ConnectError::Tls(tls),
                None => ConnectError::PostgresReaders(PostgresReadError::Connect(error)),
            }),
            Err(other) => Err(ConnectError::PostgresReaders(other.into())),
        }
    }

    /// Runs `statement` (built for PostgreSQL) and reads each row as an `R`.
    pub(crate) async fn all<R: DatabaseRow>(
        &self,
        during: &'static str,
        statement: Statement,
    ) -> Result<Vec<R>, InfrastructureError> {
        self.rows(statement)
            .await
            .map_err(|error| postgres_read_error(during, error))
    }

    async fn rows<R: DatabaseRow>(
        &self,
        statement: Statement,
    ) -> Result<Vec<R>, PostgresReadError> {
        let (values, types) = to_postgres(statement.values)?;
        let client = self.pool.get().await?;
        let prepared = client.prepare_typed_cached(&statement.sql, &types).await?;
        keep_within_bound(&client);
        let columns = postgres_column_indexes::<R>(&prepared)?;
        let rows = client.query(&prepared, &values.as_params()).await?;
        rows.iter()
            .map(|row| R::from_postgres_row(row, &columns))
            .collect::<Result<_, _>>()
            .map_err(PostgresReadError::Query)
    }
}

/// Forgets `client`'s prepared statements once there are more than the bound. Each is closed
/// on the server when the last query using it is done.
fn keep_within_bound(client: &Object) {
    if client.statement_cache.size() > PREPARED_STATEMENTS_PER_CONNECTION {
        client.statement_cache.clear();
    }
}

#[cfg(test)]
mod tests;
