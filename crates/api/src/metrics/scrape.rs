//! What is measured when Prometheus asks rather than as it happens: the outbox's backlog, the
//! database pool, and the process.

use std::time::Duration;

use chrono::Utc;
use platform_outbox::OutboxAdmin;
use sea_orm::{DatabaseBackend, DatabaseConnection};

/// A scrape does not wait longer than this for the database: during an outage the other
/// metrics still come back, and the backlog keeps its last values.
const BACKLOG_TIMEOUT: Duration = Duration::from_secs(1);

/// Updates the gauges that are read at scrape time.
pub async fn measure(database: &DatabaseConnection, process: &metrics_process::Collector) {
    process.collect();
    measure_pool(database);
    let admin = OutboxAdmin::new(database.clone());
    match tokio::time::timeout(BACKLOG_TIMEOUT, admin.backlog()).await {
        Ok(Ok(backlog)) => {
            metrics::gauge!("outbox_events", "status" => "pending").set(backlog.pending as f64);
            metrics::gauge!("outbox_events", "status" => "dead").set(backlog.dead as f64);
            let age = backlog.oldest_pending.map_or(0.0, |recorded| {
                (Utc::now() - recorded).num_milliseconds().max(0) as f64 / 1000.0
            });
            metrics::gauge!("outbox_oldest_pending_event_age_seconds").set(age);
        }
        Ok(Err(error)) => {
            tracing::warn!(error = %error, "metrics: could not read the outbox's backlog");
        }
        Err(_) => tracing::warn!("metrics: the outbox's backlog took too long to read"),
    }
}

/// `database_pool_connections{state}` and `database_pool_max_connections`, on PostgreSQL.
/// (SQLite's queries and writes run on threads of our own, measured by their queues.)
fn measure_pool(database: &DatabaseConnection) {
    // (sea-orm panics when asked for the PostgreSQL pool of another database.)
    if database.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let pool = database.get_postgres_connection_pool();
    let size = pool.size() as f64;
    let idle = pool.num_idle() as f64;
    metrics::gauge!("database_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("database_pool_connections", "state" => "in_use").set((size - idle).max(0.0));
    metrics::gauge!("database_pool_max_connections")
        .set(f64::from(pool.options().get_max_connections()));
}
