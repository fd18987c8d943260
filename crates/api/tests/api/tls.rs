//! TLS to PostgreSQL as an operator meets it: the real `api` binary, configured by
//! `DATABASE_URL` alone, against a PostgreSQL of the test's own that serves a certificate for
//! `localhost` signed by a CA the test makes, and accepts TCP only over TLS. A URL that
//! passes serves, its reads (on the readers' own connections) as well as its writes (on
//! sea-orm's pool); one that does not stops start-up with one line that says why, the same
//! line whichever of the two drivers meets the server first.

mod certificates;
mod postgres_server;

use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use tempfile::TempDir;

use platform_database::testing::server_without_tls;
use platform_database::{DatabaseOptions, connect_pool};
use shared_kernel_application::error_chain;

use crate::helpers::{JWT_SECRET, PASSWORD};
use crate::sql::eventually;
use certificates::Certificates;
use postgres_server::TlsPostgres;

/// How long a start-up that must fail may take: TLS fails on the first connection, which the
/// driver does not retry.
const FAILS_WITHIN: Duration = Duration::from_secs(10);

/// A cluster with TLS on, and the CA files an operator would point `sslrootcert` at.
struct Setup {
    postgres: TlsPostgres,
    files: TempDir,
}

impl Setup {
    fn start() -> Self {
        let certificates = Certificates::generate();
        let postgres = TlsPostgres::start(&certificates);
        let files = tempfile::tempdir().unwrap();
        std::fs::write(files.path().join("ca.pem"), &certificates.ca).unwrap();
        std::fs::write(files.path().join("other-ca.pem"), &certificates.other_ca).unwrap();
        Self { postgres, files }
    }

    /// `DATABASE_URL` for `host` and `query`; `{files}` in `query` stands for the CA files'
    /// folder.
    fn url(&self, host: &str, query: &str) -> String {
        let query = query.replace("{files}", &self.files.path().display().to_string());
        format!(
            "postgres://postgres@{host}:{port}/postgres?{query}",
            port = self.postgres.port
        )
    }
}

#[tokio::test]
async fn verify_full_with_the_right_ca_serves_and_so_does_require() {
    let setup = Setup::start();

    // The server takes TCP only over TLS: serving at all says the connections are encrypted.
    for (email, url) in [
        (
            "ada@example.com",
            setup.url(
                "localhost",
                "sslmode=verify-full&sslrootcert={files}/ca.pem",
            ),
        ),
        // Encrypted, the certificate unchecked: 127.0.0.1 is not a name it has.
        (
            "grace@example.com",
            setup.url("127.0.0.1", "sslmode=require"),
        ),
    ] {
        let server = Server::start(&url, setup.files.path()).await;
        let client = reqwest::Client::new();
        let registered = client
            .post(format!("{}/api/users", server.address))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(registered.status(), StatusCode::CREATED, "{url}");
        // Logging in and reading the user back are the read side's queries.
        let token = client
            .post(format!("{}/api/auth/token", server.address))
            .form(&[("username", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(token.status(), StatusCode::OK, "{url}");
        let token: serde_json::Value = token.json().await.unwrap();
        let me = client
            .get(format!("{}/api/users/me", server.address))
            .bearer_auth(token["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), StatusCode::OK, "{url}");
        let me: serde_json::Value = me.json().await.unwrap();
        assert_eq!(me["email"], email, "{url}");
    }
}

#[tokio::test]
async fn a_server_that_fails_the_check_stops_start_up_with_one_line() {
    let setup = Setup::start();

    let wrong_host = fails_to_start(
        &setup.url(
            "127.0.0.1",
            "sslmode=verify-full&sslrootcert={files}/ca.pem",
        ),
        setup.files.path(),
    )
    .await;
    assert_eq!(
        wrong_host,
        format!(
            "error: could not connect to the database: TLS to PostgreSQL at 127.0.0.1:{port} \
             failed (sslmode=verify-full): the server's certificate is not valid for the host \
             name 127.0.0.1; it is for localhost",
            port = setup.postgres.port
        )
    );
    assert_eq!(
        pool_alone_says(&setup.url(
            "127.0.0.1",
            "sslmode=verify-full&sslrootcert={files}/ca.pem",
        ))
        .await,
        wrong_host
    );

    let unknown_ca = fails_to_start(
        &setup.url(
            "localhost",
            "sslmode=verify-full&sslrootcert={files}/other-ca.pem",
        ),
        setup.files.path(),
    )
    .await;
    assert!(
        unknown_ca.ends_with(&format!(
            "(sslmode=verify-full): the server's certificate is not signed by a CA of \
             sslrootcert {}/other-ca.pem (nor by a public CA)",
            setup.files.path().display()
        )),
        "{unknown_ca}"
    );
    assert_eq!(
        pool_alone_says(&setup.url(
            "localhost",
            "sslmode=verify-full&sslrootcert={files}/other-ca.pem",
        ))
        .await,
        unknown_ca
    );

    // The server's `hostssl` lines refuse a connection without TLS: PostgreSQL's own words.
    let without_tls = fails_to_start(
        &setup.url("localhost", "sslmode=disable"),
        setup.files.path(),
    )
    .await;
    let pool_without_tls = pool_alone_says(&setup.url("localhost", "sslmode=disable")).await;
    for line in [without_tls, pool_without_tls] {
        assert!(
            line.starts_with("error: could not connect to the database: ")
                && line.contains("no pg_hba.conf entry")
                && line.contains("no encryption"),
            "{line}"
        );
    }
}

#[tokio::test]
async fn require_against_a_server_without_tls_stops_start_up_with_one_line() {
    // All a server without TLS says to a client that asks for it: "N", no.
    let port = server_without_tls().await;
    let folder = tempfile::tempdir().unwrap();

    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres?sslmode=require");

    let line = fails_to_start(&url, folder.path()).await;

    assert_eq!(
        line,
        format!(
            "error: could not connect to the database: TLS to PostgreSQL at 127.0.0.1:{port} \
             failed (sslmode=require): server does not support TLS"
        )
    );
    assert_eq!(pool_alone_says(&url).await, line);
}

/// What start-up would say of `database_url` if sqlx's pool met the server first: the
/// readers open first, and must say what it says.
async fn pool_alone_says(database_url: &str) -> String {
    let error = connect_pool(database_url, &DatabaseOptions::default())
        .await
        .unwrap_err();
    format!(
        "error: could not connect to the database: {}",
        error_chain(&error)
    )
}

/// `api` as an operator starts it: its environment is only what is set here, and it runs in
/// `folder`, away from any `.env` of the source tree.
fn api(database_url: &str, folder: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_api"));
    command
        .env_clear()
        .current_dir(folder)
        .env("DATABASE_URL", database_url)
        .env("APP_ENV", "test")
        .env("JWT_SECRET", JWT_SECRET)
        .env("BCRYPT_COST", "4")
        .env("METRICS_ADDR", "")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// The `api` binary serving on a free loopback port, killed when the test is done with it.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    async fn start(database_url: &str, folder: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = api(database_url, folder)
            .env("PORT", port.to_string())
            // Warnings only: nothing reads stderr while it serves.
            .env("RUST_LOG", "warn")
            .spawn()
            .expect("the api binary starts");
        let mut server = Self {
            child,
            address: format!("http://127.0.0.1:{port}"),
        };
        let health = format!("{}/health", server.address);
        eventually("the server answers /health", || {
            if let Ok(Some(exit)) = server.child.try_wait() {
                panic!(
                    "api exited ({exit}) on {database_url}: {}",
                    stderr_of(&mut server.child)
                );
            }
            let health = health.clone();
            async move {
                let response = reqwest::get(&health).await.ok()?;
                (response.status() == StatusCode::OK).then_some(())
            }
        })
        .await;
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `api` on `database_url`, which must stop it: its exit is a failure, soon, and what
/// it says is one line, returned.
async fn fails_to_start(database_url: &str, folder: &Path) -> String {
    let mut child = api(database_url, folder)
        .env("PORT", "0")
        .spawn()
        .expect("the api binary starts");
    let Some(exit) = wait_at_most(&mut child, FAILS_WITHIN).await else {
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "api still ran after {FAILS_WITHIN:?} on {database_url}: {}",
            stderr_of(&mut child)
        );
    };
    let stderr = stderr_of(&mut child);
    assert!(!exit.success(), "{exit}: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr, not: {stderr}");
    lines[0].to_owned()
}

/// What an exited `child` wrote on stderr.
fn stderr_of(child: &mut Child) -> String {
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        std::io::Read::read_to_string(&mut pipe, &mut stderr).unwrap();
    }
    stderr
}

async fn wait_at_most(child: &mut Child, patience: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline {
        if let Some(exit) = child.try_wait().unwrap() {
            return Some(exit);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}
