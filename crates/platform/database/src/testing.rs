//! Fresh, isolated databases for tests: one per test, on either backend, so that tests run
//! in parallel without seeing each other's rows.
//!
//! PostgreSQL tests need `TEST_DATABASE_URL`: a server where that user may create databases
//! (`make test` starts a throwaway one). Each test gets its own database, dropped afterwards.
//!
//! Test support may panic: a test that cannot get its database should fail loudly.
#![allow(clippy::expect_used)]

use std::fmt;

use sea_orm::{ConnectionTrait, Database as SeaOrmDatabase};
use tempfile::TempDir;

/// The two databases the product supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub use Backend::{Postgres, Sqlite};

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

/// An empty database that exists as long as this value does.
pub struct TestDatabase {
    pub url: String,
    pub backend: Backend,
    cleanup: Cleanup,
}

enum Cleanup {
    /// The folder holding the SQLite file (and its WAL), removed on drop.
    Folder(#[allow(dead_code)] TempDir),
    /// The database to drop through the admin connection.
    PostgresDatabase { admin_url: String, name: String },
}

impl TestDatabase {
    /// Creates an empty database. Panics with a clear message when PostgreSQL is asked for
    /// and `TEST_DATABASE_URL` is not set: a test suite must not silently skip half of itself.
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let folder = tempfile::tempdir().expect("a temporary folder for SQLite");
                let url = format!("sqlite://{}/test.db", folder.path().display());
                Self {
                    url,
                    backend,
                    cleanup: Cleanup::Folder(folder),
                }
            }
            Backend::Postgres => {
                let admin_url = std::env::var("TEST_DATABASE_URL").expect(
                    "TEST_DATABASE_URL is not set: run the tests with `make test`, which starts a \
                     throwaway PostgreSQL, or point it at a server where you may create databases",
                );
                let name = format!("test_{}", uuid::Uuid::now_v7().simple());
                let admin = SeaOrmDatabase::connect(&admin_url)
                    .await
                    .expect("connecting to TEST_DATABASE_URL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("creating a test database");
                admin.close().await.ok();
                Self {
                    url: with_database_name(&admin_url, &name),
                    backend,
                    cleanup: Cleanup::PostgresDatabase { admin_url, name },
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Cleanup::PostgresDatabase { admin_url, name } = &self.cleanup else {
            return;
        };
        // Drop runs outside any async context we may block on, so the database is dropped
        // from a thread with a runtime of its own. FORCE closes the app's pooled connections.
        let (admin_url, database) = (admin_url.clone(), name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let admin = SeaOrmDatabase::connect(&admin_url).await.ok()?;
                admin
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
                    ))
                    .await
                    .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("warning: could not drop the test database {name}");
        }
    }
}

/// A PostgreSQL URL on a loopback port that nothing listens on: a server that refuses every
/// connection.
pub fn refusing_postgres_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port();
    format!("postgres://postgres@127.0.0.1:{port}/app")
}

/// The port of a server on loopback that answers a client's request for TLS as a PostgreSQL
/// without TLS does, "N" (no), and then closes: for the tests of `sslmode=require`.
pub async fn server_without_tls() -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free loopback port");
    let port = listener.local_addr().expect("the listener's port").port();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let mut ssl_request = [0; 8];
            if client.read_exact(&mut ssl_request).await.is_ok() {
                let _ = client.write_all(b"N").await;
            }
        }
    });
    port
}

/// `postgres://user@host:port/postgres?opts` with its database name replaced by `name`.
fn with_database_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_end = base
        .find("://")
        .map(|scheme| scheme + 3)
        .and_then(|start| base[start..].find('/').map(|slash| start + slash))
        .unwrap_or(base.len());
    let mut replaced = format!("{}/{}", &base[..authority_end], name);
    if let Some(query) = query {
        replaced.push('?');
        replaced.push_str(query);
    }
    replaced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database_name("postgres://u@127.0.0.1:5432/postgres", "t1"),
            "postgres://u@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database_name("postgres://u:p@h:1/db?sslmode=disable", "t2"),
            "postgres://u:p@h:1/t2?sslmode=disable"
        );
        assert_eq!(with_database_name("postgres://h", "t3"), "postgres://h/t3");
    }
}
