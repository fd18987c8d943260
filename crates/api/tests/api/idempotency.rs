//! Idempotent POSTs, as a client that retries meets them: with one `Idempotency-Key`, a
//! request runs once and every repetition gets its first answer again (`Idempotent-Replayed:
//! true`); the key is the caller's own; another request under it, a request still running
//! under it, and a malformed key are refused; a failure leaves the key free; an expired key is
//! free again and purged; a replayed registration costs no rate-limit budget.

use std::time::Duration;

use chrono::Utc;
use futures_util::future::join_all;
use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::header::HeaderValue;
use reqwest::{Response, StatusCode};
use rstest::rstest;
use sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::helpers::{PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_on, spawn_app_with};
use crate::sql::{count, eventually, execute, statement};

const KEY: &str = "3f1c9a52-0b7e-4d4a-9c35-6a1f2e8b7d10";

/// An answer as a client compares two: status, `Location`, `ETag`, whether it was replayed,
/// and the body (a problem's without its `requestId`, which names each request apart).
#[derive(Debug, PartialEq)]
struct Answer {
    status: StatusCode,
    location: Option<String>,
    etag: Option<String>,
    replayed: bool,
    body: Value,
}

async fn answer(response: Response) -> Answer {
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    let location = header("location");
    let etag = header("etag");
    let replayed = match header("idempotent-replayed").as_deref() {
        None => false,
        Some("true") => true,
        Some(other) => panic!("Idempotent-Replayed: {other}"),
    };
    let mut body: Value = response.json().await.unwrap();
    if let Some(problem) = body.as_object_mut() {
        problem.remove("requestId");
    }
    Answer {
        status,
        location,
        etag,
        replayed,
        body,
    }
}

impl TestApp {
    /// POSTs `body` (written as is) to `path` with `Idempotency-Key: key`, as `token`'s user.
    async fn post_keyed(&self, token: Option<&str>, path: &str, key: &str, body: &str) -> Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("idempotency-key", key)
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    async fn task_count(&self, token: &str, project: &str) -> usize {
        let page = self
            .read(token, &format!("/api/projects/{project}/tasks"))
            .await;
        page["tasks"].as_array().unwrap().len()
    }
}

/// A user and a project of theirs (with a maximum of incomplete tasks, or none).
async fn a_project(app: &TestApp, email: &str, max: Option<i64>) -> (String, String) {
    let (_, token) = app.given_user(email).await;
    let project = app.create_project(&token, "Garden", max).await;
    (token, project["id"].as_str().unwrap().to_owned())
}

fn tasks_of(project: &str) -> String {
    format!("/api/projects/{project}/tasks")
}

#[rstest]
#[tokio::test]
async fn a_task_added_twice_with_one_key_is_added_once_and_answered_alike(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = a_project(&app, "ada@example.com", None).await;

    let first = answer(
        app.post_keyed(
            Some(&token),
            &tasks_of(&project),
            KEY,
            r#"{"name":"Buy milk"}"#,
        )
        .await,
    )
    .await;
    // The same request, as another client library writes it.
    let again = answer(
        app.post_keyed(
            Some(&token),
            &tasks_of(&project),
            KEY,
            "{\n  \"name\" : \"Buy milk\"\n}",
        )
        .await,
    )
    .await;

    assert_eq!(first.status, StatusCode::CREATED);
    assert!(!first.replayed);
    assert_eq!(
        first.location.as_deref(),
        Some(format!("/api/projects/{project}/tasks/1").as_str())
    );
    assert_eq!(first.body["name"], "Buy milk");
    assert!(first.etag.is_some(), "a new task's ETag");
    assert_eq!(
        again,
        Answer {
            replayed: true,
            ..first
        }
    );
    assert_eq!(app.task_count(&token, &project).await, 1);
}

#[rstest]
#[tokio::test]
async fn a_project_created_twice_with_one_key_is_created_once(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let body = r#"{"name":"Garden","maxIncompleteTasks":3}"#;

    let first = answer(
        app.post_keyed(Some(&token), "/api/projects", KEY, body)
            .await,
    )
    .await;
    let again = answer(
        app.post_keyed(Some(&token), "/api/projects", KEY, body)
            .await,
    )
    .await;

    assert_eq!(first.status, StatusCode::CREATED);
    let id = first.body["id"].as_str().unwrap();
    assert_eq!(
        first.location.as_deref(),
        Some(format!("/api/projects/{id}").as_str())
    );
    assert_eq!(
        again,
        Answer {
            replayed: true,
            ..first
        }
    );
    let projects = app.read(&token, "/api/projects").await;
    // The starter project, and the one created once.
    assert_eq!(projects["projects"].as_array().unwrap().len(), 2);
}

#[rstest]
#[tokio::test]
async fn the_same_key_for_another_body_or_path_is_refused(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = a_project(&app, "ada@example.com", None).await;
    let other_project = app.create_project(&token, "Kitchen", None).await;
    let other_project = other_project["id"].as_str().unwrap();
    let added = app
        .post_keyed(
            Some(&token),
            &tasks_of(&project),
            KEY,
            r#"{"name":"Buy milk"}"#,
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);

    let other_name = app
        .post_keyed(
            Some(&token),
            &tasks_of(&project),
            KEY,
            r#"{"name":"Buy eggs"}"#,
        )
        .await;
    let other_path = app
        .post_keyed(
            Some(&token),
            &tasks_of(other_project),
            KEY,
            r#"{"name":"Buy milk"}"#,
        )
        .await;
    let other_route = app
        .post_keyed(Some(&token), "/api/projects", KEY, r#"{"name":"Buy milk"}"#)
        .await;

    for refused in [other_name, other_path, other_route] {
        assert!(refused.headers().get("idempotent-replayed").is_none());
        assert_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
        )
        .await;
    }
    assert_eq!(app.task_count(&token, &project).await, 1);
    assert_eq!(app.task_count(&token, other_project).await, 0);
}

#[rstest]
#[tokio::test]
async fn another_users_key_is_another_key(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, ada) = app.given_user("ada@example.com").await;
    let (_, grace) = app.given_user("grace@example.com").await;
    let body = r#"{"name":"Garden"}"#;

    let adas = answer(app.post_keyed(Some(&ada), "/api/projects", KEY, body).await).await;
    let graces = answer(
        app.post_keyed(Some(&grace), "/api/projects", KEY, body)
            .await,
    )
    .await;

    assert_eq!(
        (adas.status, graces.status),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    assert!(!graces.replayed);
    assert_ne!(adas.body["id"], graces.body["id"]);
    let id = graces.body["id"].as_str().unwrap();
    app.read(&grace, &format!("/api/projects/{id}")).await;
    let on_adas = app.get_as(&format!("/api/projects/{id}"), &ada).await;
    assert_eq!(on_adas.status(), StatusCode::NOT_FOUND);
}

#[rstest]
#[tokio::test]
async fn a_refusal_is_replayed_even_once_the_request_would_succeed(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = a_project(&app, "ada@example.com", Some(1)).await;
    let first_task = app.add_task(&token, &project, "Water the plants").await;
    assert_eq!(first_task.status(), StatusCode::CREATED);
    let body = r#"{"name":"Buy milk"}"#;

    let refused = app
        .post_keyed(Some(&token), &tasks_of(&project), KEY, body)
        .await;
    let refused = answer(refused).await;
    // Room for one more now; the retry is still the request that was refused.
    let completed = app
        .put_action(&token, &format!("/api/projects/{project}/tasks/1/complete"))
        .await;
    assert_eq!(completed.status(), StatusCode::OK);
    let retried = answer(
        app.post_keyed(Some(&token), &tasks_of(&project), KEY, body)
            .await,
    )
    .await;

    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["code"], "too_many_incomplete_tasks");
    assert_eq!(
        retried,
        Answer {
            replayed: true,
            ..refused
        }
    );
    assert_eq!(app.task_count(&token, &project).await, 1);
    let unkeyed = app.add_task(&token, &project, "Buy milk").await;
    assert_eq!(unkeyed.status(), StatusCode::CREATED);
}

#[rstest]
#[tokio::test]
async fn a_malformed_key_is_refused_and_nothing_runs(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, project) = a_project(&app, "ada@example.com", None).await;
    let url = app.url(&tasks_of(&project));
    let too_long = "k".repeat(256);
    let malformed = [
        HeaderValue::from_static(""),
        HeaderValue::from_str(&too_long).unwrap(),
        HeaderValue::from_static("tab\there"),
        HeaderValue::from_bytes("caf\u{e9}".as_bytes()).unwrap(),
    ];

    for key in malformed {
        let response = app
            .client
            .post(&url)
            .bearer_auth(&token)
            .header("idempotency-key", key.clone())
            .json(&json!({"name": "Buy milk"}))
            .send()
            .await
            .unwrap();
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "Idempotency-Key", "{key:?}");
    }
    let twice = app
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("idempotency-key", "a")
        .header("idempotency-key", "b")
        .json(&json!({"name": "Buy milk"}))
        .send()
        .await
        .unwrap();
    assert_problem(twice, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let longest = app
        .post_keyed(
            Some(&token),
            &tasks_of(&project),
            &"~".repeat(255),
            r#"{"name":"Ok"}"#,
        )
        .await;
    assert_eq!(longest.status(), StatusCode::CREATED);
    assert_eq!(app.task_count(&token, &project).await, 1);
}

/// Makes every insert into `projects_tasks` fail (`true`), or work again (`false`): a task's
/// addition then fails inside its transaction, after its key was claimed.
async fn break_task_inserts(app: &TestApp, broken: bool) {
    let statements: &[&str] = match (app.database.get_database_backend(), broken) {
        (DbBackend::Sqlite, true) => &[
            "CREATE TRIGGER refuse_tasks BEFORE INSERT ON projects_tasks \
             BEGIN SELECT RAISE(ABORT, 'the disk is on fire'); END",
        ],
        (DbBackend::Sqlite, false) => &["DROP TRIGGER refuse_tasks"],
        (_, true) => &[
            "CREATE FUNCTION refuse_tasks() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'the disk is on fire'; END $$",
            "CREATE TRIGGER refuse_tasks BEFORE INSERT ON projects_tasks \
             FOR EACH ROW EXECUTE FUNCTION refuse_tasks()",
        ],
        (_, false) => &["DROP TRIGGER refuse_tasks ON projects_tasks"],
    };
    for statement in statements {
        execute(&app.database, statement, vec![]).await;
    }
}

#[rstest]
#[tokio::test]
async fn a_failure_leaves_the_key_free_for_a_retry(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, project) = a_project(&app, "ada@example.com", None).await;
    let body = r#"{"name":"Buy milk"}"#;
    break_task_inserts(&app, true).await;

    let failed = app
        .post_keyed(Some(&token), &tasks_of(&project), KEY, body)
        .await;
    assert_problem(failed, StatusCode::INTERNAL_SERVER_ERROR, "internal_error").await;
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) FROM idempotency_keys").await,
        0
    );

    break_task_inserts(&app, false).await;
    let retried = answer(
        app.post_keyed(Some(&token), &tasks_of(&project), KEY, body)
            .await,
    )
    .await;

    assert_eq!(retried.status, StatusCode::CREATED);
    assert!(!retried.replayed);
    assert_eq!(app.task_count(&token, &project).await, 1);
}

#[rstest]
#[tokio::test]
async fn a_request_whose_client_gave_up_still_finishes_and_its_retry_is_replayed(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = a_project(&app, "ada@example.com", None).await;
    let body = r#"{"name":"Buy milk"}"#;
    // Another writer holds the project's row, so that the addition waits until its client has
    // given up on it.
    let holder = app.database.begin().await.unwrap();
    let locked = statement(
        &app.database,
        "UPDATE projects_projects SET name = name WHERE id = $1",
        vec![uuid::Uuid::parse_str(&project).unwrap().into()],
    );
    holder.execute_raw(locked).await.unwrap();

    // The client gives up the hard way, as a killed process or a proxy's timeout does: the
    // connection is reset (an RST, not a FIN), and actix-web drops what was serving it.
    let address = app.address.trim_start_matches("http://");
    let mut connection = TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST {} HTTP/1.1\r\nhost: {address}\r\nauthorization: Bearer {token}\r\n\
         idempotency-key: {KEY}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\n\r\n{body}",
        tasks_of(&project),
        body.len()
    );
    connection.write_all(request.as_bytes()).await.unwrap();
    // By now it waits behind the holder: on PostgreSQL in its command, its key claimed; on
    // SQLite, whose writes take turns, to claim its key.
    tokio::time::sleep(Duration::from_millis(300)).await;
    connection.set_zero_linger().unwrap();
    drop(connection);
    tokio::time::sleep(Duration::from_millis(200)).await;
    holder.rollback().await.unwrap();

    eventually("the abandoned addition has committed", || async {
        (app.task_count(&token, &project).await == 1).then_some(())
    })
    .await;
    let retried = answer(
        app.post_keyed(Some(&token), &tasks_of(&project), KEY, body)
            .await,
    )
    .await;

    assert_eq!(retried.status, StatusCode::CREATED, "{retried:#?}");
    assert!(retried.replayed);
    assert_eq!(retried.body["number"], 1);
    assert_eq!(app.task_count(&token, &project).await, 1);
}

#[rstest]
#[tokio::test]
async fn a_body_refused_before_the_key_is_looked_at_is_not_kept(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = a_project(&app, "ada@example.com", None).await;
    let path = tasks_of(&project);

    let not_json = app.post_keyed(Some(&token), &path, KEY, "{\"name\":").await;
    let no_name = app
        .post_keyed(Some(&token), &path, KEY, r#"{"title":"Buy milk"}"#)
        .await;

    // A repeated member is refused as it is without a key, not read as its last value.
    let repeated = r#"{"name":"Buy milk","name":"Sell milk"}"#;
    let keyed_twice = answer(app.post_keyed(Some(&token), &path, KEY, repeated).await).await;
    let unkeyed_twice = app
        .client
        .post(app.url(&path))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(repeated)
        .send()
        .await
        .unwrap();
    let unkeyed_twice = answer(unkeyed_twice).await;
    assert_eq!(keyed_twice, unkeyed_twice);
    assert_eq!(keyed_twice.status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_problem(not_json, StatusCode::BAD_REQUEST, "malformed_json").await;
    let problem = assert_problem(
        no_name,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "name");
    let added = app
        .post_keyed(Some(&token), &path, KEY, r#"{"name":"Buy milk"}"#)
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    assert!(added.headers().get("idempotent-replayed").is_none());
}

#[rstest]
#[tokio::test]
async fn twenty_concurrent_posts_with_one_key_add_one_task(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = a_project(&app, "ada@example.com", None).await;
    let path = tasks_of(&project);

    let answers = join_all((0..20).map(|_| async {
        answer(
            app.post_keyed(Some(&token), &path, KEY, r#"{"name":"Buy milk"}"#)
                .await,
        )
        .await
    }))
    .await;

    let fresh: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED && !a.replayed)
        .collect();
    assert_eq!(fresh.len(), 1, "{answers:#?}");
    let first = fresh[0];
    for other in &answers {
        let is_the_replay =
            other.replayed && other.body == first.body && other.location == first.location;
        let is_in_progress = other.status == StatusCode::CONFLICT
            && other.body["code"] == "idempotency_request_in_progress";
        assert!(
            std::ptr::eq(other, first) || is_the_replay || is_in_progress,
            "{other:#?}"
        );
    }
    assert_eq!(app.task_count(&token, &project).await, 1);
}

#[rstest]
#[tokio::test]
async fn an_expired_key_is_free_again_and_purged(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app_with(backend, &[("IDEMPOTENCY_KEY_TTL_HOURS", "1")]).await;
    let (token, project) = a_project(&app, "ada@example.com", None).await;
    let added = app
        .post_keyed(
            Some(&token),
            &tasks_of(&project),
            KEY,
            r#"{"name":"Buy milk"}"#,
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let expire_every_key = || async {
        let an_hour_ago = Utc::now().timestamp_millis() - 3_600_000;
        execute(
            &app.database,
            "UPDATE idempotency_keys SET expires_at = $1",
            vec![an_hour_ago.into()],
        )
        .await
    };

    // An hour later, as far as the key knows.
    assert_eq!(expire_every_key().await, 1);
    let other_name = answer(
        app.post_keyed(
            Some(&token),
            &tasks_of(&project),
            KEY,
            r#"{"name":"Buy eggs"}"#,
        )
        .await,
    )
    .await;

    assert_eq!(other_name.status, StatusCode::CREATED);
    assert!(!other_name.replayed);
    assert_eq!(other_name.body["name"], "Buy eggs");
    assert_eq!(app.task_count(&token, &project).await, 2);

    // The restarted server's purge runs at start-up.
    expire_every_key().await;
    let _restarted = spawn_app_on(app.test_database.clone(), &[]).await;
    eventually("the expired key is purged", || async {
        (count(&app.database, "SELECT COUNT(*) FROM idempotency_keys").await == 0).then_some(())
    })
    .await;
}

#[rstest]
#[tokio::test]
async fn a_replayed_registration_costs_no_rate_limit_budget(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(backend, &[("REGISTER_RATE_PER_HOUR", "2")]).await;
    let body = json!({"email": "ada@example.com", "password": PASSWORD}).to_string();

    let first = answer(app.post_keyed(None, "/api/users", KEY, &body).await).await;
    let mut replays = Vec::new();
    for _ in 0..3 {
        replays.push(answer(app.post_keyed(None, "/api/users", KEY, &body).await).await);
    }
    // The budget's second registration: the replays spent none of it.
    let second = app.register("grace@example.com", PASSWORD).await;
    let third = app.register("alan@example.com", PASSWORD).await;
    let replay_after_the_budget =
        answer(app.post_keyed(None, "/api/users", KEY, &body).await).await;

    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.location.as_deref(), Some("/api/users/me"));
    for replay in replays.into_iter().chain([replay_after_the_budget]) {
        assert_eq!(
            replay,
            Answer {
                replayed: true,
                body: first.body.clone(),
                location: first.location.clone(),
                etag: first.etag.clone(),
                ..first
            }
        );
    }
    assert_eq!(second.status(), StatusCode::CREATED);
    assert_problem(third, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) FROM accounts_users").await,
        2
    );
}

#[rstest]
#[tokio::test]
async fn a_registration_refused_by_the_rate_limit_leaves_its_key_free(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(backend, &[("REGISTER_RATE_PER_HOUR", "1")]).await;
    let spent = app.register("grace@example.com", PASSWORD).await;
    assert_eq!(spent.status(), StatusCode::CREATED);
    let body = json!({"email": "ada@example.com", "password": PASSWORD}).to_string();

    let limited = app.post_keyed(None, "/api/users", KEY, &body).await;

    assert_problem(limited, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) FROM idempotency_keys").await,
        0
    );
}

#[rstest]
#[tokio::test]
async fn the_document_describes_the_key_the_replay_and_the_refusals(
    #[values(Sqlite)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let document: Value = app.get("/api/openapi.json").await.json().await.unwrap();

    for path in ["/api/users", "/api/projects", "/api/projects/{id}/tasks"] {
        let operation = &document["paths"][path]["post"];
        let key = operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|parameter| parameter["name"] == "Idempotency-Key")
            .unwrap_or_else(|| panic!("{path} takes no Idempotency-Key"));
        assert_eq!(key["in"], "header");
        assert_eq!(key["required"], false);
        assert_eq!(
            (&key["schema"]["minLength"], &key["schema"]["maxLength"]),
            (&json!(1), &json!(255))
        );
        assert_eq!(key["schema"]["pattern"], r"^[\x20-\x7E]+$");
        let responses = &operation["responses"];
        assert!(
            responses["201"]["headers"]["Idempotent-Replayed"].is_object(),
            "{path}"
        );
        let described = |status: &str| {
            responses[status]["description"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert!(
            described("409").contains("idempotency_request_in_progress"),
            "{path}"
        );
        assert!(
            described("422").contains("idempotency_key_reused"),
            "{path}"
        );
    }
}
