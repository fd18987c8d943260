//! Entity tags on projects and tasks (RFC 9110 §8.8.3, §13.1.2): every answer with a project
//! or a task carries its strong `ETag`, which changes when, and only when, what the answer
//! shows changes; a read whose `If-None-Match` holds it is a 304 with no body.

use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_on, spawn_app_with};
use crate::projects::id_of;

/// A request as the signed-in user `token`.
pub(crate) fn request(app: &TestApp, token: &str, method: Method, path: &str) -> RequestBuilder {
    app.client.request(method, app.url(path)).bearer_auth(token)
}

/// The answer's `ETag`, quotes included, as a client sends it back.
pub(crate) fn etag_of(response: &Response) -> String {
    response
        .headers()
        .get("etag")
        .unwrap_or_else(|| panic!("an ETag on the {} answer", response.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// GETs `path`, expecting 200: its `ETag` and body.
pub(crate) async fn tagged(app: &TestApp, token: &str, path: &str) -> (String, Value) {
    let response = request(app, token, Method::GET, path).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    let tag = etag_of(&response);
    (tag, response.json().await.unwrap())
}

/// A fresh user's token and a new project of theirs, "Garden", whose path is returned.
pub(crate) async fn given_project(app: &TestApp) -> (String, String) {
    let (_, token) = app.given_user("ada@example.com").await;
    let project = app.create_project(&token, "Garden", None).await;
    (token, format!("/api/projects/{}", id_of(&project)))
}

/// Adds a task named `name` to the project at `project`, expecting 201: the task's path.
pub(crate) async fn given_task(app: &TestApp, token: &str, project: &str, name: &str) -> String {
    let response = request(app, token, Method::POST, &format!("{project}/tasks"))
        .json(&json!({"name": name}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.headers()["location"].to_str().unwrap().to_owned()
}

async fn get_if_none_match(app: &TestApp, token: &str, path: &str, tags: &str) -> Response {
    request(app, token, Method::GET, path)
        .header("if-none-match", tags)
        .send()
        .await
        .unwrap()
}

/// Asserts a 304 carrying `tag` and no body.
async fn assert_not_modified(response: Response, tag: &str) {
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(etag_of(&response), tag);
    assert!(response.headers().get("content-type").is_none());
    assert!(response.bytes().await.unwrap().is_empty());
}

/// A strong tag: quoted, no `W/`, and stable in length.
fn assert_strong(tag: &str) {
    let opaque = tag
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("a strong, quoted tag: {tag}"));
    assert_eq!(opaque.len(), 32, "{tag}");
    assert!(opaque.bytes().all(|b| b.is_ascii_hexdigit()), "{tag}");
}

#[rstest]
#[tokio::test]
async fn a_project_answers_its_etag_and_a_304_to_a_client_that_holds_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (_, token) = app.given_user("ada@example.com").await;
    let created = request(&app, &token, Method::POST, "/api/projects")
        .json(&json!({"name": "Garden"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created_tag = etag_of(&created);
    let path = created.headers()["location"].to_str().unwrap().to_owned();

    let (tag, body) = tagged(&app, &token, &path).await;

    assert_strong(&tag);
    assert_eq!(
        tag, created_tag,
        "the write answers the tag a read then shows"
    );
    assert_eq!(body["name"], "Garden");
    for held in [
        tag.clone(),
        format!("W/{tag}"),
        format!("\"0123\", {tag}"),
        "*".to_owned(),
    ] {
        let response = get_if_none_match(&app, &token, &path, &held).await;
        assert_not_modified(response, &tag).await;
    }
    let other = get_if_none_match(&app, &token, &path, "\"0123\", W/\"4567\"").await;
    assert_eq!(other.status(), StatusCode::OK);
    assert_eq!(etag_of(&other), tag);
    assert_eq!(other.json::<Value>().await.unwrap(), body);
}

#[rstest]
#[tokio::test]
async fn a_task_answers_its_etag_and_a_304_to_a_client_that_holds_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let added = request(&app, &token, Method::POST, &format!("{project}/tasks"))
        .json(&json!({"name": "Water"}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let added_tag = etag_of(&added);
    let path = added.headers()["location"].to_str().unwrap().to_owned();

    let (tag, body) = tagged(&app, &token, &path).await;

    assert_strong(&tag);
    assert_eq!(tag, added_tag);
    assert_eq!(body["name"], "Water");
    assert_not_modified(get_if_none_match(&app, &token, &path, &tag).await, &tag).await;
    let (project_tag, _) = tagged(&app, &token, &project).await;
    assert_ne!(
        project_tag, tag,
        "a task and its project have tags of their own"
    );
    let other = get_if_none_match(&app, &token, &path, &project_tag).await;
    assert_eq!(other.status(), StatusCode::OK);
}

/// What a project shows includes its counters, not its tasks' names; a task shows only itself.
#[rstest]
#[tokio::test]
async fn a_tag_changes_when_and_only_when_what_its_resource_shows_does(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let first = given_task(&app, &token, &project, "Water").await;
    let second = given_task(&app, &token, &project, "Weed").await;
    let (project_tag, _) = tagged(&app, &token, &project).await;
    let (first_tag, _) = tagged(&app, &token, &first).await;
    let (second_tag, _) = tagged(&app, &token, &second).await;

    let renamed = request(&app, &token, Method::PUT, &second)
        .json(&json!({"name": "Weed the beds"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), StatusCode::OK);
    let renamed_tag = etag_of(&renamed);
    assert_ne!(renamed_tag, second_tag);
    assert_eq!(tagged(&app, &token, &second).await.0, renamed_tag);
    assert_eq!(tagged(&app, &token, &first).await.0, first_tag);
    assert_eq!(
        tagged(&app, &token, &project).await.0,
        project_tag,
        "renaming a task changes nothing the project shows"
    );

    let completed = request(&app, &token, Method::PUT, &format!("{second}/complete"))
        .send()
        .await
        .unwrap();
    assert_eq!(completed.status(), StatusCode::OK);
    assert_eq!(tagged(&app, &token, &first).await.0, first_tag);
    let (after_completion, shown) = tagged(&app, &token, &project).await;
    assert_eq!(shown["incompleteTaskCount"], 1);
    assert_ne!(
        after_completion, project_tag,
        "completing a task moves a counter"
    );

    given_task(&app, &token, &project, "Harvest").await;
    let (after_addition, shown) = tagged(&app, &token, &project).await;
    assert_eq!(shown["taskCount"], 3);
    assert_ne!(
        after_addition, after_completion,
        "adding a task moves the counters"
    );
    assert_eq!(tagged(&app, &token, &first).await.0, first_tag);
}

/// The project's version moves on every save; its tag only when what it shows changes.
#[rstest]
#[tokio::test]
async fn a_write_that_changes_nothing_keeps_the_tag(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let task = given_task(&app, &token, &project, "Water").await;
    let (project_tag, _) = tagged(&app, &token, &project).await;
    request(&app, &token, Method::PUT, &format!("{task}/complete"))
        .send()
        .await
        .unwrap();
    let (task_tag, _) = tagged(&app, &token, &task).await;
    let (project_tag_after_completion, _) = tagged(&app, &token, &project).await;
    assert_ne!(project_tag_after_completion, project_tag);

    let same_name = request(&app, &token, Method::PUT, &project)
        .json(&json!({"name": "Garden"}))
        .send()
        .await
        .unwrap();
    let completed_again = request(&app, &token, Method::PUT, &format!("{task}/complete"))
        .send()
        .await
        .unwrap();

    assert_eq!(same_name.status(), StatusCode::OK);
    assert_eq!(etag_of(&same_name), project_tag_after_completion);
    assert_eq!(completed_again.status(), StatusCode::OK);
    assert_eq!(etag_of(&completed_again), task_tag);
}

/// A tag is a digest of what the answer shows, so every instance, and the same one restarted,
/// answers the same tag for the same state; a client may read from one and write to another.
#[rstest]
#[tokio::test]
async fn another_instance_on_the_same_database_answers_the_same_tags(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let task = given_task(&app, &token, &project, "Water").await;
    let (project_tag, _) = tagged(&app, &token, &project).await;
    let (task_tag, _) = tagged(&app, &token, &task).await;

    let other = spawn_app_on(app.test_database.clone(), &[]).await;

    assert_eq!(tagged(&other, &token, &project).await.0, project_tag);
    assert_eq!(tagged(&other, &token, &task).await.0, task_tag);
    let renamed = request(&other, &token, Method::PUT, &task)
        .header("if-match", &task_tag)
        .json(&json!({"name": "Water well"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(tagged(&app, &token, &task).await.0, etag_of(&renamed));
}

#[rstest]
#[tokio::test]
async fn a_malformed_if_none_match_is_a_422_naming_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (token, project) = given_project(&app).await;
    let task = given_task(&app, &token, &project, "Water").await;

    for path in [&project, &task] {
        for malformed in ["abc", "\"unterminated", "*, \"a\"", "W/abc"] {
            let response = get_if_none_match(&app, &token, path, malformed).await;
            let problem = crate::helpers::assert_problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
            assert_eq!(
                problem["errors"][0]["field"], "If-None-Match",
                "{malformed}"
            );
        }
    }
}

/// A browser client on an allowed origin may send the tags back and read the `ETag`.
#[tokio::test]
async fn cors_lets_a_browser_send_the_conditional_headers_and_read_the_etag() {
    let origin = "https://app.example.com";
    let app = spawn_app_with(Sqlite, &[("CORS_ALLOWED_ORIGINS", origin)]).await;
    let (token, project) = given_project(&app).await;

    let preflight = app
        .client
        .request(Method::OPTIONS, app.url(&project))
        .header("origin", origin)
        .header("access-control-request-method", "PUT")
        .header(
            "access-control-request-headers",
            "authorization, if-match, if-none-match",
        )
        .send()
        .await
        .unwrap();
    let read = request(&app, &token, Method::GET, &project)
        .header("origin", origin)
        .send()
        .await
        .unwrap();

    assert!(preflight.status().is_success(), "{}", preflight.status());
    let allowed = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        allowed.contains("if-match") && allowed.contains("if-none-match"),
        "{allowed}"
    );
    let exposed = read.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(exposed.contains("etag"), "{exposed}");
}

/// The document does not depend on the database, so one backend is enough here.
#[tokio::test]
async fn the_openapi_document_describes_etags_and_preconditions() {
    let app = spawn_app(Sqlite).await;
    let document: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let operation = |method: &str, path: &str| document["paths"][path][method].clone();
    let header_params = |operation: &Value| -> Vec<String> {
        operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            // X-Request-Id is on every operation (what_every_route_answers.rs).
            .filter(|p| p["in"] == "header" && p["name"] != "X-Request-Id")
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };

    for path in ["/api/projects/{id}", "/api/projects/{id}/tasks/{number}"] {
        let get = operation("get", path);
        assert_eq!(header_params(&get), vec!["If-None-Match"], "GET {path}");
        assert!(
            get["responses"]["200"]["headers"]["ETag"].is_object(),
            "GET {path}"
        );
        assert!(
            get["responses"]["304"]["headers"]["ETag"].is_object(),
            "GET {path}"
        );
    }
    for (method, path) in [
        ("put", "/api/projects/{id}"),
        ("put", "/api/projects/{id}/archive"),
        ("put", "/api/projects/{id}/unarchive"),
        ("delete", "/api/projects/{id}"),
        ("put", "/api/projects/{id}/tasks/{number}"),
        ("put", "/api/projects/{id}/tasks/{number}/complete"),
        ("put", "/api/projects/{id}/tasks/{number}/incomplete"),
    ] {
        let write = operation(method, path);
        assert_eq!(header_params(&write), vec!["If-Match"], "{method} {path}");
        let if_match = &write["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "If-Match")
            .unwrap();
        assert_eq!(if_match["required"], false, "{method} {path}");
        assert!(if_match["schema"]["pattern"].is_string(), "{method} {path}");
        assert!(write["responses"]["412"].is_object(), "{method} {path}");
        if method == "put" {
            assert!(
                write["responses"]["200"]["headers"]["ETag"].is_object(),
                "{method} {path}"
            );
        }
    }
    for (path, created) in [
        ("/api/projects", "201"),
        ("/api/projects/{id}/tasks", "201"),
    ] {
        let post = operation("post", path);
        assert!(
            post["responses"][created]["headers"]["ETag"].is_object(),
            "POST {path}"
        );
    }
}
