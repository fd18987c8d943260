use api::Application;
use api::config::Settings;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use shared_kernel_infrastructure::testing::{Backend, TestDatabase};

pub const JWT_SECRET: &str = "a-test-secret-that-is-at-least-32-bytes-long";
pub const PASSWORD: &str = "correct horse battery";

/// The application under test, serving on `address` until the test ends.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database: sea_orm::DatabaseConnection,
    _database: TestDatabase,
}

/// Starts the real application, as `api` does, on a random port and a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    let test_database = TestDatabase::create(backend).await;
    let url = test_database.url.clone();
    let (settings, _) = Settings::from_lookup(|name| {
        match name {
            "APP_ENV" => Some("test"),
            "DATABASE_URL" => Some(url.as_str()),
            "PORT" => Some("0"),
            "JWT_SECRET" => Some(JWT_SECRET),
            // bcrypt's minimum cost: the same algorithm, fast enough for a test suite.
            "BCRYPT_COST" => Some("4"),
            "DATABASE_MAX_CONNECTIONS" => Some("5"),
            _ => None,
        }
        .map(str::to_owned)
    })
    .expect("test settings");
    let application = Application::build(settings).await.expect("the app starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    let database = application.database().clone();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        database,
        _database: test_database,
    }
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

/// Asserts a problem-details answer with this status and code, and returns its body.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
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
