//! A burst well above capacity is refused, not queued without end: 512 connections for 10 s
//! of task creations, then of logins at bcrypt cost 10, against the real binary. Every answer
//! is a 2xx or a 503 within 5 s (no client time-out, no 500), the server's peak RSS stays under
//! 64 MiB, and a second after the burst it answers normally.
//!
//! The burst takes both cores: nextest runs these tests alone (.config/nextest.toml).

use std::sync::Arc;
use std::time::{Duration, Instant};

use platform_database::testing::{Sqlite, TestDatabase};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::api_process::{ApiProcess, command, free_port};
use crate::helpers::PASSWORD;

const CONNECTIONS: usize = 512;
const BURST: Duration = Duration::from_secs(10);
/// What a client waits at most; an answer later than this is a failure.
const CLIENT_PATIENCE: Duration = Duration::from_secs(5);
/// How much the burst may add to the server's resident set, over what it held once started
/// (its binary's pages, its pools): bounded queues keep the burst's share flat. A bound on
/// the total would measure the debug binary instead, which grew by megabytes when the
/// PostgreSQL readers' driver was linked in (issue #19) without any change under load.
const BURST_RSS_GROWTH_LIMIT_KIB: u64 = 24 * 1024;

async fn start(database: &TestDatabase) -> ApiProcess {
    let port = free_port();
    let env = [
        ("BCRYPT_COST", "10"),
        ("RUST_LOG", "warn"),
        // One client address sends everything: the per-address limits would answer 429.
        ("LOGIN_RATE_PER_MINUTE", "0"),
        ("REGISTER_RATE_PER_HOUR", "0"),
    ];
    ApiProcess::start(command(&database.url, port, &env), port).await
}

/// What the burst's answers were.
#[derive(Default, Debug)]
struct Tally {
    succeeded: usize,
    refused: usize,
    /// Anything else: another status, a late answer, a client error.
    wrong: Vec<String>,
}

/// `CONNECTIONS` clients sending `request` back to back for `BURST`.
async fn burst<F, Fut>(request: F) -> Tally
where
    F: Fn(reqwest::Client, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send,
{
    let tally = Arc::new(Mutex::new(Tally::default()));
    let request = Arc::new(request);
    let deadline = Instant::now() + BURST;
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|index| {
            let (tally, request) = (tally.clone(), request.clone());
            tokio::spawn(async move {
                // One connection per client, as 512 browsers or load-test workers would have.
                let client = reqwest::Client::builder()
                    .timeout(CLIENT_PATIENCE)
                    .pool_max_idle_per_host(1)
                    .build()
                    .unwrap();
                let mut sent = 0;
                while Instant::now() < deadline {
                    let started = Instant::now();
                    let answer = request(client.clone(), index * 1_000_000 + sent).await;
                    sent += 1;
                    let took = started.elapsed();
                    let mut tally = tally.lock().await;
                    match answer {
                        Ok(response) if took > CLIENT_PATIENCE => {
                            tally
                                .wrong
                                .push(format!("{} after {took:?}", response.status()));
                        }
                        Ok(response) if response.status().is_success() => tally.succeeded += 1,
                        Ok(response) if response.status() == StatusCode::SERVICE_UNAVAILABLE => {
                            let retry = response.headers().get("retry-after").cloned();
                            let body: Value = response.json().await.unwrap_or_default();
                            if retry.is_some() && body["code"].is_string() {
                                tally.refused += 1;
                            } else {
                                tally
                                    .wrong
                                    .push(format!("a 503 without Retry-After: {body}"));
                            }
                        }
                        Ok(response) => tally.wrong.push(response.status().to_string()),
                        Err(error) => tally.wrong.push(format!("{error:?}")),
                    }
                }
            })
        })
        .collect();
    for client in clients {
        client.await.unwrap();
    }
    Arc::try_unwrap(tally).unwrap().into_inner()
}

async fn token(server: &ApiProcess, email: &str) -> String {
    let client = reqwest::Client::new();
    let registered = client
        .post(format!("{}/api/users", server.address))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::CREATED);
    let token: Value = client
        .post(format!("{}/api/auth/token", server.address))
        .form(&[
            ("grant_type", "password"),
            ("username", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["access_token"].as_str().unwrap().to_owned()
}

/// A second after the burst the server answers as if nothing had happened.
async fn answers_normally_a_second_later(server: &ApiProcess, token: &str) {
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    let listed = reqwest::Client::new()
        .get(format!("{}/api/projects", server.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), StatusCode::OK);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
}

fn assert_burst_was_served(tally: &Tally, server: &ApiProcess, before_kib: u64) {
    assert!(
        tally.wrong.is_empty(),
        "{} wrong answers, e.g. {:?}",
        tally.wrong.len(),
        &tally.wrong[..tally.wrong.len().min(5)]
    );
    assert!(tally.succeeded > 0, "{tally:?}");
    let peak = server.peak_rss_kib();
    assert!(
        peak.saturating_sub(before_kib) < BURST_RSS_GROWTH_LIMIT_KIB,
        "peak RSS {peak} KiB, {before_kib} KiB before the burst"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_task_creations_is_served_or_refused_within_five_seconds() {
    let database = TestDatabase::create(Sqlite).await;
    let server = start(&database).await;
    let token = token(&server, "burst@example.com").await;
    let client = reqwest::Client::new();
    let mut projects = Vec::new();
    for index in 0..16 {
        let project: Value = client
            .post(format!("{}/api/projects", server.address))
            .bearer_auth(&token)
            .json(&json!({"name": format!("Burst {index}"), "maxIncompleteTasks": 10_000}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        projects.push(format!(
            "{}/api/projects/{}/tasks",
            server.address,
            project["id"].as_str().unwrap()
        ));
    }
    let (projects, bearer) = (Arc::new(projects), Arc::new(token.clone()));

    let before_kib = server.peak_rss_kib();
    let tally = burst(move |client, n| {
        let (projects, bearer) = (projects.clone(), bearer.clone());
        async move {
            client
                .post(&projects[n % projects.len()])
                .bearer_auth(bearer.as_str())
                .json(&json!({"name": format!("Task {n}")}))
                .send()
                .await
        }
    })
    .await;

    assert_burst_was_served(&tally, &server, before_kib);
    answers_normally_a_second_later(&server, &token).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_logins_beyond_the_hashing_capacity_is_refused_as_overloaded() {
    let database = TestDatabase::create(Sqlite).await;
    let server = start(&database).await;
    let token = token(&server, "logins@example.com").await;
    let url = Arc::new(format!("{}/api/auth/token", server.address));

    let before_kib = server.peak_rss_kib();
    let tally = burst(move |client, _| {
        let url = url.clone();
        async move {
            client
                .post(url.as_str())
                .form(&[
                    ("grant_type", "password"),
                    ("username", "logins@example.com"),
                    ("password", PASSWORD),
                ])
                .send()
                .await
        }
    })
    .await;

    assert_burst_was_served(&tally, &server, before_kib);
    // Two cores hash a few dozen passwords a second: most of 512 waiting logins are refused.
    assert!(tally.refused > 0, "{tally:?}");
    answers_normally_a_second_later(&server, &token).await;
}
