use accounts_application::commands::LogIn;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use shared_kernel_application::MessageBus;
use shared_kernel_entrypoints::{FieldError, Problem};

use crate::errors::IntoProblem;
use crate::schemas::{TokenRequest, TokenResponse};

/// Log in: the OAuth2 password flow (also served at `/api/users/login`).
///
/// `username` is the email address. The answer is the same for an unknown email and a wrong
/// password.
#[utoipa::path(
    post,
    path = "/api/auth/token",
    tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token", body = TokenResponse),
        (status = 400, description = "Not a form body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or malformed fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn issue(
    bus: web::Data<MessageBus>,
    form: web::Form<TokenRequest>,
) -> Result<HttpResponse, Problem> {
    let form = form.into_inner();
    if form
        .grant_type
        .as_deref()
        .is_some_and(|grant| grant != "password")
    {
        return Err(Problem::unprocessable(vec![FieldError {
            field: "grant_type".into(),
            message: "must be \"password\"".into(),
        }]));
    }
    let token = bus
        .execute(LogIn {
            email: form.username,
            password: form.password,
        })
        .await
        .map_err(IntoProblem::into_problem)?;
    // RFC 6749, section 5.1: token responses must not be cached.
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse::from(token)))
}
