use std::error::Error;
use std::fmt;

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError};
use serde::Serialize;
use shared_kernel_application::{
    InvalidInput, PreconditionFailed, Unavailability, Unavailable, error_chain,
};
use utoipa::ToSchema;

/// An error answer as RFC 9457 problem details (`application/problem+json`).
///
/// Every error a client can see is one of these: what went wrong (`title`, `detail`), a
/// stable machine-readable `code`, and for invalid input the offending fields.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:problem-type:email_taken",
    "title": "Conflict",
    "status": 409,
    "detail": "the email address is already taken",
    "code": "email_taken"
}))]
pub struct Problem {
    /// A URI naming the kind of problem; `urn:problem-type:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// The HTTP status's reason phrase.
    pub title: String,
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
    /// What went wrong, for a program: stable across releases.
    pub code: String,
    /// The invalid fields, on 422 answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    /// On the token endpoint's errors only: the OAuth 2.0 error code (RFC 6749, section
    /// 5.2), for OAuth2 client libraries.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "invalid_grant")]
    pub error: Option<&'static str>,
    /// The id of the request this answers, as in its `X-Request-Id` header: the key to its
    /// log lines. On every problem; the HTTP edge adds it as the response leaves (a problem
    /// is rendered where the request is not at hand), so it is never set here.
    #[serde(rename = "requestId", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "0193a4f2-7c1e-7d33-9a52-5b8e2f1c0d4e")]
    request_id: Option<SetAtTheEdge>,
    #[serde(skip)]
    #[schema(ignore)]
    www_authenticate: Option<&'static str>,
    #[serde(skip)]
    #[schema(ignore)]
    allow: Option<String>,
    #[serde(skip)]
    #[schema(ignore)]
    rate_limited: Option<RateLimited>,
    /// `Retry-After` in seconds, on a 503.
    #[serde(skip)]
    #[schema(ignore)]
    retry_after: Option<u16>,
}

/// A value no `Problem` holds: `requestId` is written into the body by the HTTP edge.
#[derive(Debug, Clone, Copy)]
pub enum SetAtTheEdge {}

impl Serialize for SetAtTheEdge {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

/// Which rate limit refused a request, for a 429's `Retry-After`, `RateLimit-Policy` and
/// `RateLimit` headers (draft-ietf-httpapi-ratelimit-headers-10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimited {
    /// The policy's name in the headers: `login`, `register`, …
    pub policy: &'static str,
    /// How many requests the policy allows…
    pub quota: u32,
    /// …in how many seconds; `None` for a policy without a fixed window (a back-off).
    pub window_seconds: Option<u64>,
    /// How long until the next request may go through.
    pub retry_after: std::time::Duration,
}

impl RateLimited {
    /// `Retry-After` in whole seconds: rounded up, at least 1.
    pub fn retry_after_seconds(&self) -> u64 {
        let whole = self.retry_after.as_secs();
        let rounded = if self.retry_after.subsec_nanos() > 0 {
            whole + 1
        } else {
            whole
        };
        rounded.max(1)
    }

    fn policy_header(&self) -> String {
        match self.window_seconds {
            Some(window) => format!("\"{}\";q={};w={window}", self.policy, self.quota),
            None => format!("\"{}\";q={}", self.policy, self.quota),
        }
    }

    fn limit_header(&self) -> String {
        format!("\"{}\";r=0;t={}", self.policy, self.retry_after_seconds())
    }
}

/// One invalid input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            problem_type: format!("urn:problem-type:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_owned(),
            errors: None,
            error: None,
            request_id: None,
            www_authenticate: None,
            allow: None,
            rate_limited: None,
            retry_after: None,
        }
    }

    pub fn bad_request(code: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", detail)
    }

    pub fn conflict(code: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, detail)
    }

    /// 401 with the `WWW-Authenticate: Bearer` challenge (RFC 6750).
    pub fn unauthorized(code: &str, detail: impl Into<String>) -> Self {
        let mut problem = Self::new(StatusCode::UNAUTHORIZED, code, detail);
        problem.www_authenticate = Some("Bearer");
        problem
    }

    /// 422 listing every invalid field.
    pub fn unprocessable(errors: Vec<FieldError>) -> Self {
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        let mut problem = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            detail,
        );
        problem.errors = Some(errors);
        problem
    }

    /// The same problem, with the OAuth 2.0 error code `error` (`invalid_grant`,
    /// `invalid_request`, `unsupported_grant_type`, …).
    pub fn with_oauth_error(mut self, error: &'static str) -> Self {
        self.error = Some(error);
        self
    }

    /// 429 `too_many_requests`, with `Retry-After` and the rate-limit headers of `limit`.
    pub fn too_many_requests(detail: impl Into<String>, limit: RateLimited) -> Self {
        let mut problem = Self::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", detail);
        problem.rate_limited = Some(limit);
        problem
    }

    pub fn method_not_allowed(allowed: &[&str]) -> Self {
        let mut problem = Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("this resource accepts {}", allowed.join(", ")),
        );
        problem.allow = Some(allowed.join(", "));
        problem
    }

    /// A failure on our side, which the client cannot act on except by retrying. The whole
    /// error chain is logged here, once; the client only learns what it may do:
    ///
    /// - 503 when an adapter marked the failure as unavailability (`Unavailable` somewhere in
    ///   the chain): `database_unavailable` or `overloaded`, with `Retry-After: 1`, logged as
    ///   a warning (an outage or a burst is the operator's to watch, not a bug);
    /// - 500 `internal_error` otherwise: a bug, logged as an error.
    pub fn failure(error: &(dyn Error + 'static)) -> Self {
        if let Some(reason) = Unavailable::find(error) {
            tracing::warn!(
                error = error_chain(error),
                "request refused: {}",
                reason.code()
            );
            return Self::unavailable(reason);
        }
        tracing::error!(error = error_chain(error), "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "something went wrong on our side; it has been logged",
        )
    }

    /// 503 for `reason`, with `Retry-After: 1`: the client should try again shortly.
    pub fn unavailable(reason: Unavailability) -> Self {
        let detail = match reason {
            Unavailability::Database => "the database is unavailable; try again shortly",
            Unavailability::Overloaded => {
                "the server has more work than it can take; try again shortly"
            }
        };
        let mut problem = Self::new(StatusCode::SERVICE_UNAVAILABLE, reason.code(), detail);
        problem.retry_after = Some(1);
        problem
    }
}

impl From<InvalidInput> for Problem {
    fn from(invalid: InvalidInput) -> Self {
        Self::unprocessable(
            invalid
                .violations
                .into_iter()
                .map(|v| FieldError {
                    field: v.field.to_owned(),
                    message: v.message,
                })
                .collect(),
        )
    }
}

/// 412 `precondition_failed`: the write's `If-Match` names none of the resource's current
/// tags, so it changed nothing; the client reads the resource again and decides.
impl From<PreconditionFailed> for Problem {
    fn from(failed: PreconditionFailed) -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            format!("{failed}; read it again for its current ETag"),
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.detail)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        if let Some(challenge) = self.www_authenticate {
            response.insert_header((header::WWW_AUTHENTICATE, challenge));
        }
        if let Some(allow) = &self.allow {
            response.insert_header((header::ALLOW, allow.as_str()));
        }
        if let Some(limit) = &self.rate_limited {
            response.insert_header((header::RETRY_AFTER, limit.retry_after_seconds()));
            response.insert_header(("ratelimit-policy", limit.policy_header()));
            response.insert_header(("ratelimit", limit.limit_header()));
        }
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, u64::from(seconds)));
        }
        // Serialising plain strings and numbers cannot fail; the fallback is only for form.
        let body = serde_json::to_vec(self).unwrap_or_default();
        response.body(body)
    }
}

/// So that a route's default service can answer with a problem directly.
impl Responder for Problem {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        self.error_response()
    }
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;

    use super::*;

    #[tokio::test]
    async fn renders_problem_json_with_its_fields() {
        let response = Problem::conflict("email_taken", "taken").error_response();

        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/problem+json"
        );
        let body: serde_json::Value =
            serde_json::from_slice(&to_bytes(response.into_body()).await.unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "type": "urn:problem-type:email_taken",
                "title": "Conflict",
                "status": 409,
                "detail": "taken",
                "code": "email_taken"
            })
        );
    }

    #[tokio::test]
    async fn lists_every_invalid_field() {
        let invalid = InvalidInput::check2(
            ("email", Err::<(), _>("must look like name@example.com")),
            (
                "password",
                Err::<(), _>("must be at least 8 characters long"),
            ),
        )
        .unwrap_err();

        let response = Problem::from(invalid).error_response();

        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: serde_json::Value =
            serde_json::from_slice(&to_bytes(response.into_body()).await.unwrap()).unwrap();
        assert_eq!(body["code"], "validation_failed");
        assert_eq!(
            body["errors"],
            serde_json::json!([
                {"field": "email", "message": "must look like name@example.com"},
                {"field": "password", "message": "must be at least 8 characters long"}
            ])
        );
    }

    #[test]
    fn unauthorized_carries_the_bearer_challenge() {
        let response = Problem::unauthorized("missing_token", "no token").error_response();
        assert_eq!(
            response.headers().get(header::WWW_AUTHENTICATE).unwrap(),
            "Bearer"
        );
    }

    #[tokio::test]
    async fn an_internal_error_shows_none_of_its_cause() {
        let cause = std::io::Error::other("SELECT * FROM secrets failed");

        let response = Problem::failure(&cause).error_response();

        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = to_bytes(response.into_body()).await.unwrap();
        assert!(!String::from_utf8_lossy(&body).contains("SELECT"));
    }

    #[tokio::test]
    async fn unavailability_anywhere_in_the_chain_is_a_503_to_retry() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let cause = shared_kernel_application::InfrastructureError::new(
            "saving a task",
            Unavailable::because(Unavailability::Database, refused),
        );

        let response = Problem::failure(&cause).error_response();

        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "1");
        let body: serde_json::Value =
            serde_json::from_slice(&to_bytes(response.into_body()).await.unwrap()).unwrap();
        assert_eq!(body["code"], "database_unavailable");
        assert_eq!(body["status"], 503);
        let overloaded = Problem::failure(&Unavailable::new(Unavailability::Overloaded));
        assert_eq!(overloaded.code, "overloaded");
    }

    #[test]
    fn too_many_requests_says_when_to_come_back_in_whole_seconds() {
        let limit = |millis| RateLimited {
            policy: "login",
            quota: 30,
            window_seconds: Some(60),
            retry_after: std::time::Duration::from_millis(millis),
        };
        let response = Problem::too_many_requests("slow down", limit(1_200)).error_response();

        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let headers = response.headers();
        assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "2");
        assert_eq!(
            headers.get("ratelimit-policy").unwrap(),
            "\"login\";q=30;w=60"
        );
        assert_eq!(headers.get("ratelimit").unwrap(), "\"login\";r=0;t=2");
        assert_eq!(limit(0).retry_after_seconds(), 1);
        assert_eq!(limit(3_000).retry_after_seconds(), 3);
    }
}
