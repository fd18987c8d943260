//! Sessions over HTTP: refresh with rotation and reuse detection, logout, revocation, the
//! list of a user's sessions, and the password change that ends the others.

use platform_database::testing::{Backend, Postgres, Sqlite, TestDatabase};
use reqwest::{Response, StatusCode};
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_on};

/// An access token and the refresh token that came with it.
struct Tokens {
    access: String,
    refresh: String,
}

impl TestApp {
    async fn log_in_tokens(&self, email: &str, password: &str) -> Tokens {
        let response = self
            .log_in_at(
                "/api/auth/token",
                &[("username", email), ("password", password)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        tokens_of(response).await
    }

    async fn refresh(&self, refresh_token: &str) -> Response {
        self.log_in_at(
            "/api/auth/token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ],
        )
        .await
    }

    async fn post_empty(&self, token: &str, path: &str) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    async fn sessions(&self, token: &str) -> Vec<Value> {
        self.read(token, "/api/users/me/sessions").await["sessions"]
            .as_array()
            .unwrap()
            .clone()
    }
}

async fn tokens_of(response: Response) -> Tokens {
    let body: Value = response.json().await.unwrap();
    Tokens {
        access: body["access_token"].as_str().unwrap().to_owned(),
        refresh: body["refresh_token"].as_str().unwrap().to_owned(),
    }
}

async fn assert_refused_grant(response: Response) {
    let body = assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
    assert_eq!(body["error"], "invalid_grant");
}

async fn user_with_session(app: &TestApp, email: &str) -> Tokens {
    assert_eq!(
        app.register(email, PASSWORD).await.status(),
        StatusCode::CREATED
    );
    app.log_in_tokens(email, PASSWORD).await
}

#[rstest]
#[tokio::test]
async fn a_refresh_token_gets_new_tokens_once_and_the_old_one_stops_working(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let first = user_with_session(&app, "ada@example.com").await;

    let response = app.refresh(&first.refresh).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let second = tokens_of(response).await;
    assert_ne!(second.refresh, first.refresh);
    assert_eq!(
        app.get_as("/api/users/me", &second.access).await.status(),
        StatusCode::OK
    );

    // The second one renews in turn.
    let third = tokens_of(app.refresh(&second.refresh).await).await;
    assert_eq!(
        app.get_as("/api/users/me", &third.access).await.status(),
        StatusCode::OK
    );
}

#[rstest]
#[tokio::test]
async fn refreshing_twice_with_the_same_token_revokes_the_session(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let first = user_with_session(&app, "ada@example.com").await;
    let second = tokens_of(app.refresh(&first.refresh).await).await;

    assert_refused_grant(app.refresh(&first.refresh).await).await;

    // Neither the thief's nor the user's tokens of that session work any more.
    assert_refused_grant(app.refresh(&second.refresh).await).await;
    for access in [&first.access, &second.access] {
        let me = app.get_as("/api/users/me", access).await;
        assert_problem(me, StatusCode::UNAUTHORIZED, "invalid_token").await;
    }
    // Logging in again starts a new session.
    let again = app.log_in_tokens("ada@example.com", PASSWORD).await;
    assert_eq!(
        app.get_as("/api/users/me", &again.access).await.status(),
        StatusCode::OK
    );
}

#[rstest]
#[tokio::test]
async fn of_concurrent_refreshes_with_one_token_exactly_one_succeeds(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let tokens = user_with_session(&app, "ada@example.com").await;

    let attempts =
        futures_util::future::join_all((0..5).map(|_| app.refresh(&tokens.refresh))).await;

    let statuses: Vec<_> = attempts.iter().map(Response::status).collect();
    let succeeded = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(succeeded, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
}

#[rstest]
#[tokio::test]
async fn after_logout_the_refresh_token_and_the_access_token_are_refused(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let tokens = user_with_session(&app, "ada@example.com").await;
    let other = app.log_in_tokens("ada@example.com", PASSWORD).await;

    let response = app.post_empty(&tokens.access, "/api/auth/logout").await;

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_refused_grant(app.refresh(&tokens.refresh).await).await;
    let me = app.get_as("/api/users/me", &tokens.access).await;
    assert_problem(me, StatusCode::UNAUTHORIZED, "invalid_token").await;
    // The user's other session goes on.
    assert_eq!(
        app.get_as("/api/users/me", &other.access).await.status(),
        StatusCode::OK
    );
    let no_token = app
        .client
        .post(app.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_problem(no_token, StatusCode::UNAUTHORIZED, "missing_token").await;
}

#[rstest]
#[tokio::test]
async fn revoking_a_token_ends_its_session_and_unknown_tokens_are_200(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let by_refresh = user_with_session(&app, "ada@example.com").await;
    let by_access = app.log_in_tokens("ada@example.com", PASSWORD).await;

    let revoke = |form: Vec<(&'static str, String)>| {
        let request = app.client.post(app.url("/api/auth/revoke")).form(&form);
        async move { request.send().await.unwrap() }
    };
    let response = revoke(vec![
        ("token", by_refresh.refresh.clone()),
        ("token_type_hint", "refresh_token".into()),
    ])
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_refused_grant(app.refresh(&by_refresh.refresh).await).await;

    let response = revoke(vec![
        ("token", by_access.access.clone()),
        ("token_type_hint", "access_token".into()),
    ])
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let me = app.get_as("/api/users/me", &by_access.access).await;
    assert_problem(me, StatusCode::UNAUTHORIZED, "invalid_token").await;

    for unknown in ["not-a-token-of-ours", ""] {
        let response = revoke(vec![("token", unknown.into())]).await;
        assert_eq!(response.status(), StatusCode::OK, "{unknown:?}");
    }
    let response = revoke(vec![("token_type_hint", "refresh_token".into())]).await;
    let body = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["error"], "invalid_request");
}

#[rstest]
#[tokio::test]
async fn a_user_lists_their_sessions_and_ends_one_or_all_the_others(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let current = user_with_session(&app, "ada@example.com").await;
    let phone = app
        .client
        .post(app.url("/api/auth/token"))
        .header("user-agent", "PhoneApp/1.0")
        .form(&[("username", "ada@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let phone = tokens_of(phone).await;
    let laptop = app.log_in_tokens("ada@example.com", PASSWORD).await;
    let bob = user_with_session(&app, "bob@example.com").await;

    let sessions = app.sessions(&current.access).await;
    assert_eq!(sessions.len(), 3);
    let current_ones: Vec<_> = sessions.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current_ones.len(), 1);
    assert_eq!(
        sessions.last().unwrap()["current"],
        true,
        "the newest first"
    );
    assert!(sessions.iter().any(|s| s["userAgent"] == "PhoneApp/1.0"));
    for field in ["id", "createdAt", "lastUsedAt", "expiresAt"] {
        assert!(sessions[0][field].is_string(), "{field}");
    }
    let phone_id = app
        .sessions(&phone.access)
        .await
        .into_iter()
        .find(|s| s["current"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Bob cannot end Ada's session; an unknown id is the same 404.
    let path = format!("/api/users/me/sessions/{phone_id}");
    let response = app.delete_as(&bob.access, &path).await;
    assert_problem(response, StatusCode::NOT_FOUND, "session_not_found").await;
    let unknown = app
        .delete_as(
            &current.access,
            "/api/users/me/sessions/0192f0c1-0000-7000-8000-000000000000",
        )
        .await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "session_not_found").await;
    let malformed = app
        .delete_as(&current.access, "/api/users/me/sessions/nope")
        .await;
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(
        app.delete_as(&current.access, &path).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_refused_grant(app.refresh(&phone.refresh).await).await;
    assert_eq!(app.sessions(&current.access).await.len(), 2);
    let again = app.delete_as(&current.access, &path).await;
    assert_problem(again, StatusCode::NOT_FOUND, "session_not_found").await;

    let response = app
        .delete_as(&current.access, "/api/users/me/sessions")
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_refused_grant(app.refresh(&laptop.refresh).await).await;
    let sessions = app.sessions(&current.access).await;
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["current"], true);
    // Bob's session was never touched.
    assert_eq!(app.refresh(&bob.refresh).await.status(), StatusCode::OK);
}

#[rstest]
#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_but_not_the_current_one(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let current = user_with_session(&app, "ada@example.com").await;
    let other = app.log_in_tokens("ada@example.com", PASSWORD).await;
    let change = |current_password: &str, new_password: &str| {
        let body = json!({"currentPassword": current_password, "newPassword": new_password});
        let request = app
            .client
            .put(app.url("/api/users/me/password"))
            .bearer_auth(&current.access)
            .json(&body);
        async move { request.send().await.unwrap() }
    };

    let wrong = change("not my password", "a brand new password").await;
    assert_problem(wrong, StatusCode::FORBIDDEN, "wrong_password").await;
    let short = change(PASSWORD, "short").await;
    let body = assert_problem(short, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "newPassword");
    assert_eq!(
        app.refresh(&other.refresh).await.status(),
        StatusCode::OK,
        "nothing changed yet"
    );
    let other = app.log_in_tokens("ada@example.com", PASSWORD).await;

    let response = change(PASSWORD, "a brand new password").await;

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_refused_grant(app.refresh(&other.refresh).await).await;
    let me = app.get_as("/api/users/me", &other.access).await;
    assert_problem(me, StatusCode::UNAUTHORIZED, "invalid_token").await;
    assert_eq!(
        app.get_as("/api/users/me", &current.access).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.refresh(&current.refresh).await.status(), StatusCode::OK);
    let old = app
        .log_in_at(
            "/api/auth/token",
            &[("username", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    app.log_in_tokens("ada@example.com", "a brand new password")
        .await;
}

#[rstest]
#[tokio::test]
async fn token_endpoint_errors_carry_the_oauth_error_member(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    user_with_session(&app, "ada@example.com").await;

    let wrong = app
        .log_in_at(
            "/api/auth/token",
            &[("username", "ada@example.com"), ("password", "nope nope")],
        )
        .await;
    let body = assert_problem(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(body["error"], "invalid_grant");

    let grant = app
        .log_in_at("/api/auth/token", &[("grant_type", "client_credentials")])
        .await;
    let body = assert_problem(grant, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"], "unsupported_grant_type");

    let no_refresh = app
        .log_in_at("/api/auth/token", &[("grant_type", "refresh_token")])
        .await;
    let body = assert_problem(
        no_refresh,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(body["errors"][0]["field"], "refresh_token");

    let unknown = app.refresh("made-up").await;
    assert_refused_grant(unknown).await;

    let json_body = app
        .client
        .post(app.url("/api/auth/token"))
        .json(&json!({"username": "ada@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(
        json_body,
        StatusCode::BAD_REQUEST,
        "unsupported_content_type",
    )
    .await;
    assert_eq!(body["error"], "invalid_request");
}

#[rstest]
#[tokio::test]
async fn an_access_token_from_before_sessions_keeps_working_until_it_expires(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (id, _) = app.given_user("ada@example.com").await;
    let now = chrono::Utc::now().timestamp();
    let legacy = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"sub": id, "iat": now, "exp": now + 600}),
        &jsonwebtoken::EncodingKey::from_secret(crate::helpers::JWT_SECRET.as_bytes()),
    )
    .unwrap();

    assert_eq!(
        app.get_as("/api/users/me", &legacy).await.status(),
        StatusCode::OK
    );
    // It has no session to end; logging out with it is no error.
    assert_eq!(
        app.post_empty(&legacy, "/api/auth/logout").await.status(),
        StatusCode::NO_CONTENT
    );
    let sessions = app.sessions(&legacy).await;
    assert!(sessions.iter().all(|s| s["current"] == false));
}

#[rstest]
#[tokio::test]
async fn another_instance_refuses_an_ended_sessions_token_within_the_known_user_time(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let settings = [("AUTH_KNOWN_USER_SECONDS", "1")];
    let database = std::sync::Arc::new(TestDatabase::create(backend).await);
    let first = spawn_app_on(database.clone(), &settings).await;
    let second = spawn_app_on(database, &settings).await;
    let tokens = user_with_session(&first, "ada@example.com").await;
    // The second instance has seen the session and remembers it.
    assert_eq!(
        second
            .get_as("/api/users/me", &tokens.access)
            .await
            .status(),
        StatusCode::OK
    );

    let logout = first.post_empty(&tokens.access, "/api/auth/logout").await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);

    // At once on the instance that ended it; on the other, once its memory has run out.
    let me = first.get_as("/api/users/me", &tokens.access).await;
    assert_problem(me, StatusCode::UNAUTHORIZED, "invalid_token").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let me = second.get_as("/api/users/me", &tokens.access).await;
    assert_problem(me, StatusCode::UNAUTHORIZED, "invalid_token").await;
}
