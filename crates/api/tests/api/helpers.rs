use std::sync::Arc;

use api::Application;
use api::config::Settings;
use platform_database::testing::{Backend, TestDatabase};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

pub const JWT_SECRET: &str = "a-test-secret-that-is-at-least-32-bytes-long";
pub const PASSWORD: &str = "correct horse battery";

/// The outbox settings of every test app: retries within milliseconds, so that a test sees
/// a failed event delivered again at once, and a short lease, so that a claim left behind
/// runs out quickly. The many attempts keep a slow machine from parking an event as dead
/// while a test still means it to be retried.
const FAST_OUTBOX: [(&str, &str); 5] = [
    ("OUTBOX_MAX_ATTEMPTS", "100"),
    ("OUTBOX_RETRY_DELAY_MS", "20"),
    ("OUTBOX_MAX_RETRY_DELAY_MS", "200"),
    ("OUTBOX_POLL_INTERVAL_MS", "25"),
    ("OUTBOX_CLAIM_LEASE_MS", "500"),
];

/// The application under test, serving on `address` until the test ends.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database: sea_orm::DatabaseConnection,
    /// The database, kept as long as any app that uses it: pass it to `spawn_app_on` to start
    /// another app (a second instance, or the same one restarted) on the same data.
    pub test_database: Arc<TestDatabase>,
    /// Where `/metrics` is served, when the test asked for it (`METRICS_ADDR`).
    pub metrics: Option<std::net::SocketAddr>,
}

/// Starts the real application, as `api` does, on a random port and a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// `spawn_app`, with these environment variables set on top of the test settings.
pub async fn spawn_app_with(backend: Backend, overrides: &[(&str, &str)]) -> TestApp {
    spawn_app_on(Arc::new(TestDatabase::create(backend).await), overrides).await
}

/// Starts the real application on `test_database`, which other apps may be using too; its
/// migrations run first, as they do when `api` starts.
pub async fn spawn_app_on(test_database: Arc<TestDatabase>, overrides: &[(&str, &str)]) -> TestApp {
    let settings = test_settings(&test_database.url, overrides);
    let application = Application::build(settings).await.expect("the app starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    let metrics = application.metrics_address();
    let database = application.database().clone();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        database,
        test_database,
        metrics,
    }
}

/// The settings of a test app on `database_url`: a random port, fast hashing, a fast outbox,
/// and `overrides` (environment variables) on top.
pub fn test_settings(database_url: &str, overrides: &[(&str, &str)]) -> Settings {
    let (settings, _) = Settings::from_lookup(|name| {
        if let Some((_, value)) = overrides.iter().find(|(variable, _)| *variable == name) {
            return Some((*value).to_owned());
        }
        match name {
            "APP_ENV" => Some("test"),
            "DATABASE_URL" => Some(database_url),
            "PORT" => Some("0"),
            "JWT_SECRET" => Some(JWT_SECRET),
            // bcrypt's minimum cost: the same algorithm, fast enough for a test suite.
            "BCRYPT_COST" => Some("4"),
            "DATABASE_MAX_CONNECTIONS" => Some("5"),
            // Many apps run in one process: none binds the metrics port unless a test asks.
            "METRICS_ADDR" => Some(""),
            _ => FAST_OUTBOX
                .iter()
                .find(|(variable, _)| *variable == name)
                .map(|(_, value)| *value),
        }
        .map(str::to_owned)
    })
    .expect("test settings");
    settings
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_as(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn register(&self, email: &str, password: &str) -> Response {
        self.client
            .post(self.url("/api/users"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    pub async fn log_in_at(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn change_email(&self, token: &str, email: &str) -> Response {
        self.client
            .put(self.url("/api/users/me"))
            .bearer_auth(token)
            .json(&json!({"email": email}))
            .send()
            .await
            .unwrap()
    }

    /// Registers `email` with `PASSWORD` and logs in: the user's id and access token.
    pub async fn given_user(&self, email: &str) -> (String, String) {
        let registered = self.register(email, PASSWORD).await;
        assert_eq!(registered.status(), StatusCode::CREATED);
        let id = registered.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        (id, self.token_for(email, PASSWORD).await)
    }

    pub async fn token_for(&self, email: &str, password: &str) -> String {
        let response = self
            .log_in_at(
                "/api/auth/token",
                &[("username", email), ("password", password)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// Asserts a problem-details answer with this status and code, naming its request, and
/// returns its body without the request id.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let mut body: Value = response.json().await.unwrap();
    // Every problem names its request; the rest of the body is the same for the same
    // problem, which is what callers compare.
    let named = body
        .as_object_mut()
        .and_then(|body| body.remove("requestId"));
    assert_eq!(named, Some(Value::String(request_id)), "{body}");
    assert_eq!(body["status"], status.as_u16());
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["type"], format!("urn:problem-type:{code}"));
    assert!(body["title"].is_string() && body["detail"].is_string());
    body
}

/// Requests on projects and tasks, as a signed-in user.
impl TestApp {
    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put(&self, token: &str, path: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A PUT without a body, as the archive, unarchive, complete and incomplete routes take.
    pub async fn put_action(&self, token: &str, path: &str) -> Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete_as(&self, token: &str, path: &str) -> Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// GETs `path`, expects 200, and returns the JSON body.
    pub async fn read(&self, token: &str, path: &str) -> Value {
        let response = self.get_as(path, token).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.unwrap()
    }

    /// Creates a project (expecting 201) and returns it.
    pub async fn create_project(&self, token: &str, name: &str, max: Option<i64>) -> Value {
        let response = self
            .post_as(
                token,
                "/api/projects",
                &json!({"name": name, "maxIncompleteTasks": max}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    pub async fn add_task(&self, token: &str, project_id: &str, name: &str) -> Response {
        self.post_as(
            token,
            &format!("/api/projects/{project_id}/tasks"),
            &json!({"name": name}),
        )
        .await
    }
}
