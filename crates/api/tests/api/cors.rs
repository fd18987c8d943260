//! CORS: the listed origins get CORS headers and preflights; any other origin is served as if
//! it had sent no `Origin`; with no list, no CORS headers at all.

use platform_database::testing::{Backend, Postgres, Sqlite};
use reqwest::{Method, StatusCode};
use rstest::rstest;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const APP: &str = "https://app.example.com";

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(Method::OPTIONS, app.url("/api/users/me"))
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap()
}

async fn get_from(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .get(app.url("/health"))
        .header("origin", origin)
        .send()
        .await
        .unwrap()
}

#[rstest]
#[tokio::test]
async fn a_listed_origin_gets_its_preflight_and_cors_headers(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        &[(
            "CORS_ALLOWED_ORIGINS",
            "https://app.example.com, http://localhost:3000",
        )],
    )
    .await;

    let response = preflight(&app, APP).await;
    assert!(response.status().is_success(), "{}", response.status());
    let headers = response.headers();
    assert_eq!(headers["access-control-allow-origin"], APP);
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");

    let response = get_from(&app, "http://localhost:3000").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );
    let exposed = response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        exposed.contains("retry-after") && exposed.contains("location"),
        "{exposed}"
    );
}

#[rstest]
#[tokio::test]
async fn another_origin_is_served_without_cors_headers(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app_with(backend, &[("CORS_ALLOWED_ORIGINS", APP)]).await;

    let response = get_from(&app, "https://evil.example.net").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let preflight = preflight(&app, "https://evil.example.net").await;
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[rstest]
#[tokio::test]
async fn without_a_list_no_cors_headers_are_sent(#[values(Sqlite, Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;

    let response = get_from(&app, APP).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}
