//! What travels over HTTP: request and response bodies, kept apart from the domain so that
//! the API can stay stable while the model changes.

use accounts_application::commands::SessionTokens;
use accounts_application::ports::{SessionView, UserView};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"email": "ada@example.com", "password": "correct horse battery"}))]
pub struct RegisterUserRequest {
    /// At most 254 characters; compared case-insensitively.
    pub email: String,
    /// 8 characters to 72 bytes.
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"email": "ada.lovelace@example.com"}))]
pub struct ChangeEmailRequest {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"currentPassword": "correct horse battery", "newPassword": "battery staple horse"}))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// 8 characters to 72 bytes, like a new user's.
    pub new_password: String,
}

/// The token endpoint's form (RFC 6749): the password grant (section 4.3) or the refresh
/// grant (section 6), form fields in snake_case.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// `password` (the default) or `refresh_token`.
    #[serde(default)]
    pub grant_type: Option<String>,
    /// The email address; the password grant's.
    #[serde(default)]
    pub username: Option<String>,
    /// The password grant's.
    #[serde(default)]
    pub password: Option<String>,
    /// The refresh grant's: the refresh token of the last token response.
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// A token revocation request (RFC 7009, section 2.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeRequest {
    /// A refresh token or an access token.
    #[serde(default)]
    pub token: Option<String>,
    /// `refresh_token` or `access_token`: where to look first. Anything else is ignored.
    #[serde(default)]
    pub token_type_hint: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserResponse {
    pub id: Uuid,
    pub email: String,
    /// RFC 3339, UTC.
    pub created_at: DateTime<Utc>,
}

impl From<UserView> for UserResponse {
    fn from(user: UserView) -> Self {
        Self {
            id: user.id.as_uuid(),
            email: user.email,
            created_at: user.created_at,
        }
    }
}

/// An OAuth2 access-token response (RFC 6749, section 5.1): snake_case by the standard.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Renews the session once (`grant_type=refresh_token`); the answer brings the next one.
    pub refresh_token: String,
}

impl From<SessionTokens> for TokenResponse {
    fn from(tokens: SessionTokens) -> Self {
        Self {
            access_token: tokens.access.token,
            token_type: "bearer",
            expires_in: tokens.access.expires_in_seconds,
            refresh_token: tokens.refresh_token,
        }
    }
}

/// One of the caller's sessions.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionResponse {
    pub id: Uuid,
    /// When its user logged in. RFC 3339, UTC.
    pub created_at: DateTime<Utc>,
    /// When it was last refreshed (or started).
    pub last_used_at: DateTime<Utc>,
    /// When it ends unless it is refreshed before.
    pub expires_at: DateTime<Utc>,
    /// The `User-Agent` it was started with, if the client sent one.
    pub user_agent: Option<String>,
    /// Whether the request's own access token belongs to it.
    pub current: bool,
}

impl SessionResponse {
    pub fn new(session: SessionView, current: Option<Uuid>) -> Self {
        let id = session.id.as_uuid();
        Self {
            id,
            created_at: session.created_at,
            last_used_at: session.last_used_at,
            expires_at: session.expires_at,
            user_agent: session.user_agent,
            current: current == Some(id),
        }
    }
}

/// The caller's active sessions, the newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<SessionResponse>,
}
