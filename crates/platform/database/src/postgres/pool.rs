//! The readers' and the writers' pools: each up to `max_connections` tokio-postgres
//! connections to the server the URL names, each opened with the URL's TLS, and each handed
//! out within `DatabaseOptions::timeout` or not at all, so that a server that does not answer
//! is said as such (a 503), as with sqlx's pool.

use std::fmt;

use deadpool_postgres::{
    Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime, Status,
};
use tokio_postgres::NoTls;

use super::PostgresError;
use crate::postgres_url::PostgresUrl;
use crate::{ConnectError, DatabaseOptions};

/// One of the pools. Cloning shares it; its connections close when the last clone is dropped.
#[derive(Clone)]
pub(super) struct PostgresPool(Pool);

impl fmt::Debug for PostgresPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresPool")
            .field("status", &self.0.status())
            .finish_non_exhaustive()
    }
}

impl PostgresPool {
    /// A connection, within `DatabaseOptions::timeout`.
    pub(super) async fn get(&self) -> Result<Object, PostgresError> {
        Ok(self.0.get().await?)
    }

    /// How many connections the pool has open, and how many of them are free.
    pub(super) fn status(&self) -> Status {
        self.0.status()
    }
}

/// Opens a pool and its first connection, as sqlx's pool opens its own: a server that cannot
/// be reached, or whose TLS or login refuses, stops start-up, said in one line.
pub(super) async fn open(
    url: &PostgresUrl,
    options: &DatabaseOptions,
) -> Result<PostgresPool, ConnectError> {
    let pool = pool(url, options)?;
    match pool.0.get().await {
        Ok(_) => Ok(pool),
        Err(PoolError::Backend(error)) => Err(match url.tls.tokio_postgres_failure(&error) {
            Some(tls) => ConnectError::Tls(tls),
            None => ConnectError::PostgresConnection(PostgresError::Connect(error)),
        }),
        Err(other) => Err(ConnectError::PostgresConnection(other.into())),
    }
}

/// The pool, without a connection yet.
pub(super) fn pool(
    url: &PostgresUrl,
    options: &DatabaseOptions,
) -> Result<PostgresPool, ConnectError> {
    let mut config = url.config.clone();
    config.connect_timeout(options.timeout);
    // A connection that is still open is handed out as it is: a query to check it would cost
    // a round trip per statement, which sqlx's pool spares too unless the connection sat
    // idle. One the server closed is found closed, and replaced.
    let manager_config = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let manager = match url.tls.connector()? {
        Some(tls) => Manager::from_config(config, tls, manager_config),
        None => Manager::from_config(config, NoTls, manager_config),
    };
    let size = usize::try_from(options.max_connections)
        .unwrap_or(usize::MAX)
        .max(1);
    Ok(PostgresPool(
        Pool::builder(manager)
            .max_size(size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.timeout))
            .create_timeout(Some(options.timeout))
            .recycle_timeout(Some(options.timeout))
            .build()?,
    ))
}
