//! Readiness: whether this instance should get traffic now (`GET /ready`), as opposed to
//! liveness (`GET /health`: the process answers).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use migration::{Migrator, MigratorTrait, SchemaManager};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use serde_json::{Value, json};
use shared_kernel_application::error_chain;
use shared_kernel_entrypoints::{Problem, method_not_allowed};

/// How long the database may take to answer `SELECT 1` before the instance counts as not
/// ready: far longer than it takes when healthy, short enough for a load balancer's probe.
const DATABASE_CHECK_TIMEOUT: Duration = Duration::from_secs(1);

/// What `/ready` looks at: the database, and whether the server is shutting down.
#[derive(Clone)]
pub struct Readiness {
    database: DatabaseConnection,
    shutting_down: Arc<AtomicBool>,
}

impl Readiness {
    pub fn new(database: DatabaseConnection) -> Self {
        Self {
            database,
            shutting_down: Arc::default(),
        }
    }

    /// From now on `/ready` answers 503: the server has been asked to stop.
    pub fn shutting_down(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }

    /// The first failing check's name and why, or `None` when every check passes.
    async fn failing_check(&self) -> Option<(&'static str, String)> {
        if self.shutting_down.load(Ordering::SeqCst) {
            return Some(("shutdown", "the server is shutting down".into()));
        }
        let ping = self.database.execute_unprepared("SELECT 1");
        match tokio::time::timeout(DATABASE_CHECK_TIMEOUT, ping).await {
            Err(_) => return Some(("database", "the database did not answer in time".into())),
            Ok(Err(error)) => {
                // The cause is for the operator's log, not for whoever probes the server.
                tracing::warn!(
                    error = error_chain(&error),
                    "readiness: the database failed"
                );
                return Some(("database", "the database failed to answer".into()));
            }
            Ok(Ok(_)) => {}
        }
        match unapplied_migrations(&self.database).await {
            Ok(0) => None,
            Ok(pending) => Some((
                "migrations",
                format!("{pending} migrations are not applied"),
            )),
            Err(error) => Some((
                "migrations",
                format!("reading the migrations failed: {error}"),
            )),
        }
    }
}

/// How many of the migrations this binary knows the database has not recorded.
///
/// Not `Migrator::get_pending_migrations_read_only`: it fails when the database records a
/// migration this binary does not know. That is what every running instance sees during a
/// rolling deploy, once the release step (`api migrate up`) has applied the next release's
/// migrations: they still have every migration they need, and calling them not ready would
/// take them all out of the load balancer before any new instance is up. So a recorded
/// migration that this binary does not know is left out of the count.
async fn unapplied_migrations(database: &DatabaseConnection) -> Result<usize, DbErr> {
    let table = Migrator::migration_table_name();
    // Read-only, like the rest of the check: a missing table is nothing applied, not a
    // `CREATE TABLE`.
    let mut applied = HashSet::new();
    if SchemaManager::new(database)
        .has_table(table.to_string())
        .await?
    {
        let versions = Query::select()
            .column(Alias::new("version"))
            .from(table)
            .to_owned();
        for row in database.query_all(&versions).await? {
            applied.insert(row.try_get::<String>("", "version")?);
        }
    }
    Ok(Migrator::migrations()
        .iter()
        .filter(|migration| !applied.contains(migration.name()))
        .count())
}

pub fn configure(config: &mut web::ServiceConfig) {
    config.service(
        web::resource("/ready")
            .route(web::get().to(ready))
            .default_service(web::to(method_not_allowed(&["GET"]))),
    );
}

/// Readiness: the database answers, every migration is applied, and the server is not
/// shutting down.
#[utoipa::path(
    get,
    path = "/ready",
    tag = "health",
    responses(
        (status = 200, description = "Ready for traffic", body = Object,
            example = json!({"status": "ready", "checks": {"database": "ok", "migrations": "ok", "shutdown": "ok"}})),
        (status = 503, description = "Not ready (`code`: not_ready); `detail` names the failing check", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn ready(readiness: web::Data<Readiness>) -> Result<HttpResponse, Problem> {
    match readiness.failing_check().await {
        None => Ok(HttpResponse::Ok().json(json!({"status": "ready", "checks": checks_ok()}))),
        Some((check, reason)) => Err(Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            format!("{check}: {reason}"),
        )),
    }
}

fn checks_ok() -> Value {
    json!({"database": "ok", "migrations": "ok", "shutdown": "ok"})
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn readiness() -> Readiness {
        let database = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        Migrator::up(&database, None).await.unwrap();
        Readiness::new(database)
    }

    #[tokio::test]
    async fn ready_until_the_server_is_asked_to_stop() {
        let readiness = readiness().await;
        assert_eq!(readiness.failing_check().await, None);

        readiness.shutting_down();

        let (check, _) = readiness.failing_check().await.unwrap();
        assert_eq!(check, "shutdown");
    }
}
