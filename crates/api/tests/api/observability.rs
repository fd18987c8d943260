//! What an operator finds of each request: its id (`X-Request-Id`, in its problem body, in the
//! outbox rows of the events it recorded, in its log lines), one access-log line, and the
//! Prometheus metrics on their own listener.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use platform_database::testing::{Backend, Postgres, Sqlite, TestDatabase};
use reqwest::StatusCode;
use rstest::rstest;
use serde_json::{Value, json};

use crate::api_process::{command, free_port};
use crate::helpers::{PASSWORD, TestApp, spawn_app, spawn_app_with};
use crate::sql::{eventually, query};

fn request_id(response: &reqwest::Response) -> String {
    response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[rstest]
#[tokio::test]
async fn every_answer_carries_the_clients_request_id_or_a_new_one(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;

    let echoed = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "client-chose.this_1-2")
        .send()
        .await
        .unwrap();
    assert_eq!(request_id(&echoed), "client-chose.this_1-2");

    for malformed in ["has space", "a/b", &"x".repeat(65), ""] {
        let replaced = app
            .client
            .get(app.url("/health"))
            .header("x-request-id", malformed)
            .send()
            .await
            .unwrap();
        let id = uuid::Uuid::parse_str(&request_id(&replaced)).unwrap();
        assert_eq!(
            id.get_version_num(),
            7,
            "{malformed:?} is replaced by a UUIDv7"
        );
    }
    let first = request_id(&app.get("/health").await);
    let second = request_id(&app.get("/health").await);
    assert_ne!(first, second);
}

#[rstest]
#[tokio::test]
async fn every_problem_names_its_request(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let unknown_route = app.get("/api/nowhere").await;
    let no_token = app.get("/api/projects").await;
    let bad_json = app
        .client
        .post(app.url("/api/users"))
        .header("content-type", "application/json")
        .header("x-request-id", "bad-json-1")
        .body("{")
        .send()
        .await
        .unwrap();

    for response in [unknown_route, no_token, bad_json] {
        let id = request_id(&response);
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["requestId"], id, "{status}: {body}");
        assert!(body["code"].is_string());
    }
}

#[rstest]
#[tokio::test]
async fn the_events_a_request_records_carry_its_id_even_through_their_handlers(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;

    let registered = app
        .client
        .post(app.url("/api/users"))
        .header("x-request-id", "register-42")
        .json(&json!({"email": "traced@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::CREATED);

    // The registration's own event, and the starter project's events, which the handler of
    // that event recorded later, all name the request.
    let rows = eventually("the starter project's events are recorded", || async {
        let rows = query(
            &app.database,
            "SELECT event_type, request_id FROM event_outbox ORDER BY sequence",
            vec![],
        )
        .await;
        let rows: Vec<(String, Option<String>)> = rows
            .iter()
            .map(|row| {
                (
                    row.try_get::<String>("", "event_type").unwrap(),
                    row.try_get::<Option<String>>("", "request_id").unwrap(),
                )
            })
            .collect();
        rows.iter()
            .any(|(event_type, _)| event_type.starts_with("projects."))
            .then_some(rows)
    })
    .await;
    assert!(rows.len() >= 2, "{rows:?}");
    for (event_type, id) in &rows {
        assert_eq!(id.as_deref(), Some("register-42"), "{event_type}");
    }
}

async fn scrape(app: &TestApp) -> String {
    let address = app.metrics.expect("the test asked for metrics");
    let response = reqwest::get(format!("http://{address}/metrics"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    response.text().await.unwrap()
}

#[rstest]
#[tokio::test]
async fn metrics_count_requests_by_route_template_and_show_the_outbox_and_the_process(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(backend, &[("METRICS_ADDR", "127.0.0.1:0")]).await;
    let token = app.given_user("metrics@example.com").await.1;
    let project = app.create_project(&token, "Measured", None).await;
    let project_id = project["id"].as_str().unwrap();
    let added = app.add_task(&token, project_id, "Count me").await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let wrong = app
        .log_in_at(
            "/api/auth/token",
            &[
                ("grant_type", "password"),
                ("username", "metrics@example.com"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    let text = scrape(&app).await;

    for expected in [
        r#"http_requests_total{method="POST",route="/api/projects/{id}/tasks",status="201"}"#,
        r#"http_request_duration_seconds_bucket{method="POST",route="/api/projects/{id}/tasks",le="0.005"}"#,
        "http_requests_in_flight",
        r#"logins_total{outcome="success"}"#,
        r#"logins_total{outcome="invalid_credentials"}"#,
        r#"outbox_events{status="pending"}"#,
        r#"outbox_events{status="dead"}"#,
        "outbox_oldest_pending_event_age_seconds",
        r#"outbox_deliveries_total{handler="#,
        "password_hash_seconds_bucket",
        "process_resident_memory_bytes",
        "process_open_fds",
        "process_cpu_seconds_total",
    ] {
        assert!(text.contains(expected), "no {expected} in:\n{text}");
    }
    // Never a raw path: the project's id is in no label.
    assert!(
        !text.contains(project_id),
        "a raw path leaked into the labels"
    );
    match backend {
        Sqlite => {
            for expected in [
                "sqlite_writer_queue_depth",
                "sqlite_writer_transaction_seconds_bucket",
                "sqlite_reader_queue_depth",
            ] {
                assert!(text.contains(expected), "no {expected}");
            }
        }
        Postgres => {
            for expected in [
                r#"database_pool_connections{state="idle"}"#,
                "database_pool_max_connections",
            ] {
                assert!(text.contains(expected), "no {expected}");
            }
        }
    }
}

/// The binary's stderr, line by line, while it serves on `port`.
struct Binary {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn run_binary(database: &TestDatabase, port: u16, env: &[(&str, &str)]) -> Binary {
    let mut command = command(&database.url, port, &[("RUST_LOG", "info")]);
    command.envs(env.iter().copied()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the api binary starts");
    let stderr = child.stderr.take().unwrap();
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                return;
            }
        }
    });
    Binary { child, lines }
}

#[tokio::test]
async fn one_json_access_log_line_per_request_names_its_route_caller_and_id() {
    let database = TestDatabase::create(Sqlite).await;
    let port = free_port();
    let binary = run_binary(&database, port, &[("LOG_FORMAT", "json")]);
    let address = format!("http://127.0.0.1:{port}");
    eventually("the server answers", || async {
        reqwest::get(format!("{address}/health"))
            .await
            .ok()
            .map(|_| ())
    })
    .await;
    let client = reqwest::Client::new();
    let registered: Value = client
        .post(format!("{address}/api/users"))
        .json(&json!({"email": "logged@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token: Value = client
        .post(format!("{address}/api/auth/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", "logged@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let projects = client
        .get(format!("{address}/api/projects"))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .header("x-request-id", "list-projects-1")
        .send()
        .await
        .unwrap();
    assert_eq!(projects.status(), StatusCode::OK);

    let line = loop {
        let line = binary
            .lines
            .recv_timeout(Duration::from_secs(10))
            .expect("an access-log line for the listing");
        let Ok(entry) = serde_json::from_str::<Value>(&line) else {
            panic!("not one JSON object a line: {line}");
        };
        if entry["target"] == "access" && entry["request_id"] == "list-projects-1" {
            break entry;
        }
    };
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["method"], "GET");
    assert_eq!(line["route"], "/api/projects");
    assert_eq!(line["status"], 200);
    assert_eq!(line["user_id"], registered["id"]);
    assert!(line["bytes"].as_u64().unwrap() > 0, "{line}");
    assert!(line["duration_ms"].as_f64().unwrap() >= 0.0, "{line}");
}

#[tokio::test]
async fn a_metrics_address_that_cannot_be_bound_stops_start_up_with_one_line() {
    let database = TestDatabase::create(Sqlite).await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_address = taken.local_addr().unwrap().to_string();
    let mut binary = run_binary(&database, free_port(), &[("METRICS_ADDR", &taken_address)]);

    let mut status = None;
    for _ in 0..500 {
        status = binary.child.try_wait().unwrap();
        if status.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let status = status.expect("the server gave up within 10 s");
    // The reader thread has seen every line once the process's stderr closed.
    std::thread::sleep(Duration::from_millis(100));

    assert!(!status.success());
    let errors: Vec<String> = binary
        .lines
        .try_iter()
        .filter(|line| line.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains(&taken_address) && errors[0].contains("METRICS_ADDR"),
        "{errors:?}"
    );
}
