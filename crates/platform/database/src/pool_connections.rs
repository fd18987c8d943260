//! How many connections an instance holds to PostgreSQL, for the metrics: its three pools
//! together (the readers', the writers' and sea-orm's), which is what the server's
//! `max_connections` must leave room for.

use sea_orm::DatabaseBackend;

use crate::{Database, ReadConnection, WriteConnection};

/// The connections of the instance's pools, summed over the pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolConnections {
    /// Open and waiting in a pool for a statement.
    pub idle: usize,
    /// Open and handed out: a read, a transaction or a tool holds each.
    pub in_use: usize,
    /// As many as the pools may open.
    pub max: usize,
}

impl Database {
    /// The connections of the pools to PostgreSQL; `None` on SQLite, whose queries and writes
    /// run on threads of our own, measured by their queues.
    pub fn pool_connections(&self) -> Option<PoolConnections> {
        // (sea-orm panics when asked for the PostgreSQL pool of another database.)
        if self.pool.get_database_backend() != DatabaseBackend::Postgres {
            return None;
        }
        let sea_orm = self.pool.get_postgres_connection_pool();
        let (size, idle) = (sea_orm.size() as usize, sea_orm.num_idle());
        let mut connections = PoolConnections {
            idle,
            in_use: size.saturating_sub(idle),
            max: sea_orm.options().get_max_connections() as usize,
        };
        let readers = match &self.queries {
            ReadConnection::Postgres(readers) => Some(readers.status()),
            _ => None,
        };
        let writers = match &self.transactions {
            WriteConnection::Postgres(writers) => Some(writers.status()),
            _ => None,
        };
        for status in readers.into_iter().chain(writers) {
            connections.idle += status.available;
            connections.in_use += status.size.saturating_sub(status.available);
            connections.max += status.max_size;
        }
        Some(connections)
    }
}
