//! What travels over HTTP: request and response bodies, kept apart from the domain so that
//! the API can stay stable while the model changes.

use accounts_application::ports::{AccessToken, UserView};
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

/// The OAuth2 password grant (RFC 6749, section 4.3): form fields in snake_case.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// The email address.
    pub username: String,
    pub password: String,
    /// Optional; when present it must be `password`.
    #[serde(default)]
    pub grant_type: Option<String>,
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
    /// Seconds until the token expires.
    pub expires_in: u64,
}

impl From<AccessToken> for TokenResponse {
    fn from(token: AccessToken) -> Self {
        Self {
            access_token: token.token,
            token_type: "bearer",
            expires_in: token.expires_in_seconds,
        }
    }
}
