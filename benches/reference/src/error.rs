//! What can go wrong below the routes: every one of them is a 500, which the benchmark
//! counts as an error.

use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("PostgreSQL pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("a blocking job stopped: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("{0}")]
    Setup(String),
}

impl ResponseError for ReferenceError {
    fn error_response(&self) -> HttpResponse {
        eprintln!("bench-reference: {self}");
        HttpResponse::InternalServerError().finish()
    }
}
