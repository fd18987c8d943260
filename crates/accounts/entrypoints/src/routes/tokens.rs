use accounts_application::commands::{
    LogIn, LogInError, RefreshSession, RevokeToken, TokenTypeHint,
};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use shared_kernel_application::MessageBus;
use shared_kernel_entrypoints::{ClientAddress, FieldError, Problem};

use crate::errors::IntoProblem;
use crate::rate_limits::{AddressRateLimits, check};
use crate::schemas::{RevokeRequest, TokenGrant, TokenRequest, TokenResponse};

/// The OAuth2 token endpoint (also served at `/api/users/login`): log in, or refresh.
///
/// `grant_type=password` (the default) takes `username` (the email address) and `password`,
/// and starts a session; the answer is the same for an unknown email and a wrong password.
/// `grant_type=refresh_token` takes the `refresh_token` of the last answer and gives new
/// tokens: the old refresh token stops working, and presenting it again ends the session.
/// Errors carry RFC 6749's `error` member as well as a `code`.
#[utoipa::path(
    post,
    path = "/api/auth/token",
    tag = "auth",
    request_body(content = TokenGrant, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token and a refresh token", body = TokenResponse,
            headers(("Cache-Control" = String, description = "no-store"))),
        (status = 400, description = "Not a form body (`code`: unsupported_content_type or malformed_body, `error`: invalid_request)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong email or password (`invalid_credentials`), or a refresh token that is unknown, used, expired or revoked (`invalid_refresh_token`); `error`: invalid_grant", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing fields (`error`: invalid_request) or an unknown grant type (`error`: unsupported_grant_type); `code`: validation_failed", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many password-grant attempts from this address, or too many failed logins for this account (`code`: too_many_requests)", body = Problem, content_type = "application/problem+json",
            headers(
                ("Retry-After" = u64, description = "Seconds to wait, at least 1"),
                ("RateLimit-Policy" = String, description = "The limit that refused the attempt (draft-ietf-httpapi-ratelimit-headers)"),
                ("RateLimit" = String, description = "What is left of it (`r=0`) and when it refills (`t`)"),
            )),
    )
)]
pub async fn issue(
    request: HttpRequest,
    client: ClientAddress,
    limits: web::Data<AddressRateLimits>,
    bus: web::Data<MessageBus>,
    form: web::Form<TokenRequest>,
) -> Result<HttpResponse, Problem> {
    let form = form.into_inner();
    let tokens = match form.grant_type.as_deref().unwrap_or("password") {
        "password" => {
            let (email, password) = match (form.username, form.password) {
                (Some(email), Some(password)) => (email, password),
                (email, password) => {
                    return Err(missing(&[
                        ("username", email.is_none()),
                        ("password", password.is_none()),
                    ]));
                }
            };
            if let Err(refused) = check(limits.login.as_ref(), client.0) {
                count_login("rate_limited");
                return Err(refused);
            }
            let logged_in = bus
                .execute(LogIn {
                    email,
                    password,
                    user_agent: user_agent(&request),
                    client: client.0,
                })
                .await;
            count_login(match &logged_in {
                Ok(_) => "success",
                Err(LogInError::InvalidCredentials) => "invalid_credentials",
                Err(LogInError::Throttled(_)) => "throttled",
                Err(LogInError::Infrastructure(_) | LogInError::Bus(_)) => "error",
            });
            logged_in.map_err(IntoProblem::into_problem)?
        }
        "refresh_token" => {
            let Some(refresh_token) = form.refresh_token else {
                return Err(missing(&[("refresh_token", true)]));
            };
            bus.execute(RefreshSession { refresh_token })
                .await
                .map_err(IntoProblem::into_problem)?
        }
        _ => {
            return Err(Problem::unprocessable(vec![FieldError {
                field: "grant_type".into(),
                message: "must be \"password\" or \"refresh_token\"".into(),
            }])
            .with_oauth_error("unsupported_grant_type"));
        }
    };
    // RFC 6749, section 5.1: token responses must not be cached.
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse::from(tokens)))
}

/// Revoke a token (RFC 7009, for a public client: no credentials needed).
///
/// A refresh token or an access token ends its session. The answer is 200 whether or not
/// the token was one of ours, as RFC 7009 asks.
#[utoipa::path(
    post,
    path = "/api/auth/revoke",
    tag = "auth",
    request_body(content = RevokeRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The token no longer works (or never did)",
            headers(("Cache-Control" = String, description = "no-store"))),
        (status = 400, description = "Not a form body (`code`: unsupported_content_type or malformed_body, `error`: invalid_request)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No `token` (`code`: validation_failed, `error`: invalid_request)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn revoke(
    bus: web::Data<MessageBus>,
    form: web::Form<RevokeRequest>,
) -> Result<HttpResponse, Problem> {
    let form = form.into_inner();
    let Some(token) = form.token else {
        return Err(missing(&[("token", true)]));
    };
    let hint = match form.token_type_hint.as_deref() {
        Some("access_token") => Some(TokenTypeHint::AccessToken),
        Some("refresh_token") => Some(TokenTypeHint::RefreshToken),
        // RFC 7009, section 2.1: an unknown hint is no error; the server looks everywhere.
        _ => None,
    };
    bus.execute(RevokeToken { token, hint })
        .await
        .map_err(IntoProblem::into_problem)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

/// A 422 `invalid_request` naming the form fields that are missing (`(field, missing)`).
fn missing(fields: &[(&str, bool)]) -> Problem {
    let errors = fields
        .iter()
        .filter(|(_, missing)| *missing)
        .map(|(field, _)| FieldError {
            field: (*field).into(),
            message: "is required".into(),
        })
        .collect();
    Problem::unprocessable(errors).with_oauth_error("invalid_request")
}

/// The request's `User-Agent`, if it is text.
pub(super) fn user_agent(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// `logins_total{outcome}`: password logins by how they ended (docs/operations.md).
fn count_login(outcome: &'static str) {
    metrics::counter!("logins_total", "outcome" => outcome).increment(1);
}
