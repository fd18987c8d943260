//! The reference routes of `make bench` (issue #19, docs/benchmarks.md "Reference routes").
//!
//! What the service's two hot paths do in SQL, written the shortest way with the fastest
//! driver of each database and none of the service's layers:
//!
//! - `GET /api/projects/{id}/tasks?limit=N`: the bearer token checked (HS256, its session
//!   found in the database once and then remembered, as the service does), then one page of
//!   the project's tasks, the ownership check in the same statement, answered as the same
//!   JSON with the same cursor;
//! - `POST /api/projects/{id}/tasks`: in one transaction, the project locked, its counters
//!   moved, the task inserted and its event written to the outbox; after the commit, in a
//!   second one, what the activity context's handler writes (the inbox row, the task's name,
//!   the activity entry) and the event marked delivered; then the answer, with `Location` and
//!   an `ETag`.
//!
//! It runs on the service's own database (`DATABASE_URL`, `JWT_SECRET`, `HOST`, `PORT` as
//! the service reads them): rusqlite on a SQLite file, tokio-postgres with prepared
//! statements on PostgreSQL. It is not part of the product and has no tests of its own:
//! `scripts/bench.sh` compares its answers with the service's before measuring it.

mod config;
mod error;
mod known_callers;
mod postgres;
mod routes;
mod sqlite;
mod store;
mod task_json;

use std::sync::Arc;

use actix_web::{App, HttpServer, web};
use tokio::signal::unix::{SignalKind, signal};

use crate::config::Config;
use crate::known_callers::KnownCallers;
use crate::routes::Reference;
use crate::store::Store;

fn main() -> std::io::Result<()> {
    let config = Config::from_env().map_err(std::io::Error::other)?;
    actix_web::rt::System::new().block_on(serve(config))
}

async fn serve(config: Config) -> std::io::Result<()> {
    let store = Store::open(&config.database_url, config.max_connections)
        .await
        .map_err(std::io::Error::other)?;
    let reference = web::Data::new(Reference {
        store,
        decoding_key: jsonwebtoken::DecodingKey::from_secret(config.jwt_secret.as_bytes()),
        validation: routes::token_validation(),
        known_callers: Arc::new(KnownCallers::new(config.known_caller_ttl)),
    });
    eprintln!(
        "bench-reference: listening on {}:{} ({})",
        config.host,
        config.port,
        reference.store.kind()
    );
    let server = HttpServer::new(move || {
        App::new()
            .app_data(reference.clone())
            .route("/health", web::get().to(routes::health))
            .route(
                "/api/projects/{project}/tasks",
                web::get().to(routes::task_page),
            )
            .route(
                "/api/projects/{project}/tasks",
                web::post().to(routes::add_task),
            )
    })
    // Stopped by the benchmark script: nothing to finish gracefully.
    .disable_signals()
    .shutdown_timeout(0)
    .bind((config.host.as_str(), config.port))?
    .run();
    let handle = server.handle();
    let mut terminate = signal(SignalKind::terminate())?;
    actix_web::rt::spawn(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        handle.stop(false).await;
    });
    server.await
}
