use std::collections::BTreeSet;

use platform_database::testing::Sqlite;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;

/// The document does not depend on the database, so one backend is enough here.
#[tokio::test]
async fn the_openapi_document_describes_every_route_and_the_password_flow() {
    let app = spawn_app(Sqlite).await;

    let document: Value = app.get("/api/openapi.json").await.json().await.unwrap();

    assert_eq!(document["openapi"], "3.1.0");
    let operations: BTreeSet<String> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    for expected in [
        "GET /health",
        "POST /api/users",
        "GET /api/users/me",
        "PUT /api/users/me",
        "POST /api/auth/token",
        "POST /api/users/login",
        "GET /api/auth/me",
        "PUT /api/auth/me",
        "GET /api/projects",
        "POST /api/projects",
        "GET /api/projects/{id}",
        "PUT /api/projects/{id}",
        "DELETE /api/projects/{id}",
        "PUT /api/projects/{id}/archive",
        "PUT /api/projects/{id}/unarchive",
        "GET /api/projects/{id}/tasks",
        "POST /api/projects/{id}/tasks",
        "GET /api/projects/{id}/tasks/{number}",
        "PUT /api/projects/{id}/tasks/{number}",
        "PUT /api/projects/{id}/tasks/{number}/complete",
        "PUT /api/projects/{id}/tasks/{number}/incomplete",
    ] {
        assert!(
            operations.contains(expected),
            "{expected} missing from {operations:?}"
        );
    }

    let schemes = &document["components"]["securitySchemes"];
    let flow = &schemes["oauth2_password"]["flows"]["password"];
    assert_eq!(flow["tokenUrl"], "/api/auth/token");

    // Every security requirement names a scheme the document defines.
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for requirement in operation["security"].as_array().into_iter().flatten() {
                for name in requirement.as_object().unwrap().keys() {
                    assert!(
                        schemes.get(name).is_some(),
                        "{method} {path} names undefined scheme {name}"
                    );
                }
            }
        }
    }
    assert!(document["components"]["schemas"]["Problem"].is_object());

    // Operation ids are unique, as OpenAPI requires (aliases included).
    let ids: Vec<&str> = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|operation| operation["operationId"].as_str())
        .collect();
    let unique: BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = spawn_app(Sqlite).await;

    let redirect = app.get("/api/docs").await;
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.headers()["location"], "/api/docs/");

    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("swagger-ui"));

    let config = app.get("/api/docs/swagger-initializer.js").await;
    assert_eq!(config.status(), StatusCode::OK);
    let script = config.text().await.unwrap();
    assert!(script.contains("/api/openapi.json"), "{script}");

    let bundle = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), StatusCode::OK);
}

/// Every `$ref` of the document, anywhere in it.
fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                found.push(target);
            }
            map.values().for_each(|value| refs(value, found));
        }
        Value::Array(items) => items.iter().for_each(|value| refs(value, found)),
        _ => {}
    }
}

/// What no handler writes but every route can answer is in the document too (the contract
/// check's fuzzer holds the server to it; this says where each answer must be).
#[tokio::test]
async fn every_operation_documents_what_the_layers_around_its_handler_answer() {
    let app = spawn_app(Sqlite).await;
    let document: Value = app.get("/api/openapi.json").await.json().await.unwrap();

    let mut found = Vec::new();
    refs(&document, &mut found);
    for target in found {
        let pointer = target.strip_prefix('#').expect("a local $ref");
        assert!(
            document.pointer(pointer).is_some(),
            "{target} does not resolve"
        );
    }

    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let name = format!("{} {path}", method.to_uppercase());
            let responses = operation["responses"].as_object().unwrap();
            for (status, response) in responses {
                assert!(
                    response["headers"]["X-Request-Id"].is_object(),
                    "{name} {status} lacks X-Request-Id"
                );
            }
            if path != "/health" {
                for status in ["500", "503"] {
                    assert!(responses.contains_key(status), "{name} lacks {status}");
                }
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "413"] {
                    assert!(responses.contains_key(status), "{name} lacks {status}");
                }
            }
            let in_path = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|parameter| parameter["in"] == "path");
            if in_path {
                assert!(responses.contains_key("422"), "{name} lacks 422");
            }
            if let Some(unauthorized) = responses.get("401") {
                assert!(
                    unauthorized["headers"]["WWW-Authenticate"].is_object(),
                    "{name}'s 401 lacks WWW-Authenticate"
                );
            }
        }
    }

    let task_page = &document["paths"]["/api/projects/{id}/tasks"]["get"]["parameters"];
    let limit = task_page
        .as_array()
        .unwrap()
        .iter()
        .find(|parameter| parameter["name"] == "limit")
        .expect("a limit parameter");
    assert_eq!(limit["schema"]["minimum"], 1);
    assert_eq!(limit["schema"]["maximum"], 200);
}
