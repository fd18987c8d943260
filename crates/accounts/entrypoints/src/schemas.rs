//! What travels over HTTP: request and response bodies, kept apart from the domain so that
//! the API can stay stable while the model changes.

use accounts_application::commands::SessionTokens;
use accounts_application::ports::{SessionView, UserView};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared_kernel_entrypoints::rfc3339;
use utoipa::ToSchema;
use uuid::Uuid;

/// Unknown members are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"email": "ada@example.com", "password": "correct horse battery"}))]
pub struct RegisterUserRequest {
    /// An address like `name@example.com`, at most 254 characters once trimmed, at most 64
    /// before the `@`; compared case-insensitively.
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// At least 8 characters and at most 72 bytes in UTF-8 (bcrypt's limit): 72 characters
    /// of ASCII, fewer of other scripts.
    #[schema(min_length = 8, max_length = 72)]
    pub password: String,
}

/// Unknown members are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"email": "ada.lovelace@example.com"}))]
pub struct ChangeEmailRequest {
    /// An address like `name@example.com`, at most 254 characters once trimmed, at most 64
    /// before the `@`; compared case-insensitively.
    #[schema(format = Email, max_length = 254)]
    pub email: String,
}

/// Unknown members are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"currentPassword": "correct horse battery", "newPassword": "battery staple horse"}))]
pub struct ChangePasswordRequest {
    /// Checked after `newPassword`: a wrong one is a 403.
    pub current_password: String,
    /// At least 8 characters and at most 72 bytes in UTF-8, like a new user's.
    #[schema(min_length = 8, max_length = 72)]
    pub new_password: String,
}

/// The token endpoint's form (RFC 6749): the password grant (section 4.3) or the refresh
/// grant (section 6), form fields in snake_case. Read leniently, so that each missing field
/// can be named; the document describes it as `TokenGrant`.
#[derive(Debug, Deserialize)]
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

/// The token endpoint's form as the document describes it: one grant or the other. Unknown
/// fields are ignored. Only its schema is used: the server reads the form as `TokenRequest`,
/// which can name every missing field.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum TokenGrant {
    Password(PasswordGrant),
    RefreshToken(RefreshTokenGrant),
}

/// Log in (RFC 6749, section 4.3).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct PasswordGrant {
    /// `password`, the default.
    #[serde(default)]
    #[schema(value_type = GrantPassword)]
    pub grant_type: Option<GrantPassword>,
    /// The email address.
    pub username: String,
    pub password: String,
}

/// Renew a session (RFC 6749, section 6).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct RefreshTokenGrant {
    pub grant_type: GrantRefreshToken,
    /// The refresh token of the last token response.
    pub refresh_token: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrantPassword {
    Password,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrantRefreshToken {
    RefreshToken,
}

/// A token revocation request (RFC 7009, section 2.1). Unknown fields are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeRequest {
    /// A refresh token or an access token; an unknown one is revoked already.
    #[serde(default)]
    #[schema(required = true, value_type = String)]
    pub token: Option<String>,
    /// `refresh_token` or `access_token`: where to look first. Anything else is ignored.
    #[serde(default)]
    #[schema(value_type = String)]
    pub token_type_hint: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserResponse {
    pub id: Uuid,
    pub email: String,
    /// RFC 3339, UTC.
    #[serde(serialize_with = "rfc3339::serialize")]
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
    #[serde(serialize_with = "rfc3339::serialize")]
    pub created_at: DateTime<Utc>,
    /// When it was last refreshed (or started).
    #[serde(serialize_with = "rfc3339::serialize")]
    pub last_used_at: DateTime<Utc>,
    /// When it ends unless it is refreshed before.
    #[serde(serialize_with = "rfc3339::serialize")]
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
