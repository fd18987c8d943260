//! What is measured when Prometheus asks rather than as it happens: the outbox's backlog, the
//! database pool, and the process.

use std::time::Duration;

use chrono::Utc;
use platform_database::Database;
use platform_outbox::OutboxAdmin;

/// A scrape does not wait longer than this for the database: during an outage the other
/// metrics still come back, and the backlog keeps its last values.
const BACKLOG_TIMEOUT: Duration = Duration::from_secs(1);

/// Updates the gauges that are read at scrape time.
pub async fn measure(database: &Database, process: &metrics_process::Collector) {
    process.collect();
    measure_pools(database);
    let admin = OutboxAdmin::new(database.pool.clone());
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

/// `database_pool_connections{state}` and `database_pool_max_connections`, on PostgreSQL: the
/// instance's pools together (`Database::pool_connections`).
fn measure_pools(database: &Database) {
    let Some(connections) = database.pool_connections() else {
        return;
    };
    metrics::gauge!("database_pool_connections", "state" => "idle").set(connections.idle as f64);
    metrics::gauge!("database_pool_connections", "state" => "in_use")
        .set(connections.in_use as f64);
    metrics::gauge!("database_pool_max_connections").set(connections.max as f64);
}
