//! When the database does not answer, or a queue in front of it is full, requests are refused
//! with a 503 to retry (`database_unavailable`, `overloaded`), never a 500; nothing is written
//! half, `/health` stays 200, and once the database is back the next requests succeed and the
//! relay delivers what was left pending, without a restart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use platform_database::testing::{Postgres, Sqlite, TestDatabase};
use reqwest::StatusCode;
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::helpers::{TestApp, assert_problem, spawn_app_on, spawn_app_with};
use crate::sql::{count, eventually};

/// Asserts a 503 to retry in a second, with problem `code`.
async fn assert_unavailable(response: reqwest::Response, code: &str) {
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .map(|value| value.to_str().unwrap()),
        Some("1"),
        "{} {:?}",
        response.status(),
        response.headers()
    );
    assert_problem(response, StatusCode::SERVICE_UNAVAILABLE, code).await;
}

async fn tasks_in(app: &TestApp) -> i64 {
    count(&app.database, "SELECT COUNT(*) FROM projects_tasks").await
}

#[tokio::test]
async fn a_sqlite_file_locked_beyond_the_timeout_refuses_writes_with_a_503_and_serves_reads() {
    let app = spawn_app_with(Sqlite, &[("DATABASE_TIMEOUT_MS", "200")]).await;
    let token = app.given_user("locked@example.com").await.1;
    let project = app.create_project(&token, "Locked", None).await;
    let project_id = project["id"].as_str().unwrap().to_owned();
    let before = tasks_in(&app).await;

    // Another process takes the write lock, and keeps it past the busy timeout.
    let intruder = sea_orm::Database::connect(&app.test_database.url)
        .await
        .unwrap();
    let lock = platform_database::begin_write(&intruder).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&lock, "CREATE TABLE intruder (x INTEGER)")
        .await
        .unwrap();

    let started = Instant::now();
    let refused = app.add_task(&token, &project_id, "Blocked").await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_unavailable(refused, "database_unavailable").await;
    // Reads do not wait for the writer (write-ahead logging), and the process is alive.
    let page = app
        .get_as(&format!("/api/projects/{project_id}/tasks"), &token)
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(app.get("/health").await.status(), StatusCode::OK);

    lock.rollback().await.unwrap();
    assert_eq!(tasks_in(&app).await, before, "nothing was written half");
    let added = app.add_task(&token, &project_id, "After").await;
    assert_eq!(added.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn writes_beyond_the_writers_queue_are_refused_as_overloaded() {
    // One command handler may wait for the writer, and for its turn only 100 ms. The relay
    // polls only when woken by a commit (none commits during the burst): a poll's claim on the
    // writer, stuck on the lock below, would hold the writer's turn, and the first write would
    // be refused as overloaded too (about one run in three at the tests' 25 ms polls).
    let app = spawn_app_with(
        Sqlite,
        &[
            ("DATABASE_TIMEOUT_MS", "1500"),
            ("QUEUE_MAX_JOBS", "2"),
            ("QUEUE_TIMEOUT_MS", "100"),
            ("OUTBOX_POLL_INTERVAL_MS", "600000"),
        ],
    )
    .await;
    let token = app.given_user("queue@example.com").await.1;
    let project = app.create_project(&token, "Queued", None).await;
    let project_id = project["id"].as_str().unwrap().to_owned();
    let before = tasks_in(&app).await;
    // The events so far are delivered first: a delivery waiting on the lock below would hold
    // the writer's turn, and the first write would be refused as overloaded too.
    eventually("every event so far is delivered", || async {
        let pending = "SELECT COUNT(*) FROM event_outbox WHERE status <> 'delivered'";
        (count(&app.database, pending).await == 0).then_some(())
    })
    .await;
    let intruder = sea_orm::Database::connect(&app.test_database.url)
        .await
        .unwrap();
    let lock = platform_database::begin_write(&intruder).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&lock, "CREATE TABLE intruder (x INTEGER)")
        .await
        .unwrap();

    // The first write holds the writer's turn, waiting on the lock; the second waits for
    // the turn longer than the queue allows; the third finds the queue full.
    let answers = join_all((0..3).map(|index| {
        let (app, token, project_id) = (&app, &token, &project_id);
        async move {
            tokio::time::sleep(Duration::from_millis(30 * index)).await;
            let started = Instant::now();
            let response = app.add_task(token, project_id, "Burst").await;
            (response, started.elapsed())
        }
    }))
    .await;
    lock.rollback().await.unwrap();

    let mut codes = Vec::new();
    for (response, took) in answers {
        assert!(took < Duration::from_secs(3), "answered in {took:?}");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get("retry-after").unwrap(), "1");
        let body: Value = response.json().await.unwrap();
        codes.push(body["code"].as_str().unwrap().to_owned());
    }
    codes.sort();
    assert_eq!(
        codes,
        ["database_unavailable", "overloaded", "overloaded"],
        "the first waited on the database, the others on the queue"
    );
    assert_eq!(tasks_in(&app).await, before, "nothing was written half");
    let added = app.add_task(&token, &project_id, "After the burst").await;
    assert_eq!(added.status(), StatusCode::CREATED);
}

/// A TCP proxy in front of PostgreSQL that the test can cut, as a stopped server would be:
/// while it is down, every open connection is closed and the port refuses new ones.
struct CuttableProxy {
    address: String,
    up: watch::Sender<bool>,
}

impl CuttableProxy {
    async fn start(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let (up, mut is_up) = watch::channel(true);
        let listening_on = address.clone();
        let for_connections = is_up.clone();
        tokio::spawn(async move {
            let mut listener = Some(listener);
            loop {
                let Some(open) = &listener else {
                    // Down: nothing listens, so connections are refused. Back up: listen again
                    // on the same port.
                    if is_up.wait_for(|up| *up).await.is_err() {
                        return;
                    }
                    listener = Some(TcpListener::bind(&listening_on).await.unwrap());
                    continue;
                };
                tokio::select! {
                    accepted = open.accept() => {
                        let Ok((mut client, _)) = accepted else { return };
                        let (target, mut is_up) = (target.clone(), for_connections.clone());
                        tokio::spawn(async move {
                            let Ok(mut server) = TcpStream::connect(&target).await else {
                                return;
                            };
                            tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                                _ = is_up.wait_for(|up| !*up) => {}
                            }
                        });
                    }
                    _ = is_up.wait_for(|up| !*up) => listener = None,
                }
            }
        });
        Self { address, up }
    }

    fn cut(&self) {
        self.up.send_replace(false);
    }

    fn restore(&self) {
        self.up.send_replace(true);
    }
}

#[tokio::test]
async fn while_postgres_is_unreachable_requests_get_503_and_afterwards_everything_resumes() {
    let database = Arc::new(TestDatabase::create(Postgres).await);
    // postgres://user@host:port/name → the same database through the proxy.
    let (scheme_and_user, rest) = database.url.split_once('@').unwrap();
    let (server, name) = rest.split_once('/').unwrap();
    let proxy = CuttableProxy::start(server.to_owned()).await;
    let proxied = format!("{scheme_and_user}@{}/{name}", proxy.address);
    // The test's own view of the data goes around the proxy.
    let direct = sea_orm::Database::connect(&database.url).await.unwrap();
    let app = spawn_app_on(
        database,
        &[("DATABASE_URL", &proxied), ("DATABASE_TIMEOUT_MS", "500")],
    )
    .await;
    let token = app.given_user("outage@example.com").await.1;
    let project = app.create_project(&token, "Outage", None).await;
    let project_id = project["id"].as_str().unwrap().to_owned();

    // Registrations in flight as the database goes away: some commit, some do not, and the
    // events of those that did may not have been delivered yet.
    let registrations = join_all((0..8).map(|index| {
        let app = &app;
        async move {
            tokio::time::sleep(Duration::from_millis(5 * index)).await;
            app.register(
                &format!("during{index}@example.com"),
                crate::helpers::PASSWORD,
            )
            .await
            .status()
        }
    }));
    let cut = async {
        tokio::time::sleep(Duration::from_millis(15)).await;
        proxy.cut();
    };
    let (statuses, ()) = tokio::join!(registrations, cut);
    for status in statuses {
        assert!(
            status == StatusCode::CREATED || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}"
        );
    }

    for _ in 0..3 {
        let started = Instant::now();
        let refused = app.add_task(&token, &project_id, "Lost?").await;
        assert!(
            started.elapsed() < Duration::from_millis(2_500),
            "{:?}",
            started.elapsed()
        );
        assert_unavailable(refused, "database_unavailable").await;
    }
    let read = app
        .get_as(&format!("/api/projects/{project_id}"), &token)
        .await;
    assert_unavailable(read, "database_unavailable").await;
    assert_eq!(
        app.get("/ready").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(app.get("/health").await.status(), StatusCode::OK);

    proxy.restore();
    eventually("a write succeeds again", || async {
        let response = app.add_task(&token, &project_id, "Back").await;
        (response.status() == StatusCode::CREATED).then_some(())
    })
    .await;
    assert_eq!(app.get("/ready").await.status(), StatusCode::OK);
    assert_eq!(
        count(
            &direct,
            "SELECT COUNT(*) FROM projects_tasks WHERE name = 'Lost?'"
        )
        .await,
        0,
        "nothing refused was written"
    );
    // Every user that exists got exactly one starter project: the relay delivered whatever
    // the outage left pending.
    eventually("every event is delivered", || async {
        let pending = count(
            &direct,
            "SELECT COUNT(*) FROM event_outbox WHERE status <> 'delivered'",
        )
        .await;
        (pending == 0).then_some(())
    })
    .await;
    let users = count(&direct, "SELECT COUNT(*) FROM accounts_users").await;
    let starters = count(
        &direct,
        "SELECT COUNT(DISTINCT owner_id) FROM projects_projects",
    )
    .await;
    assert_eq!(starters, users);
}
