use accounts_application::commands::{ChangePassword, ChangeUserEmailAddress, RegisterUser};
use accounts_application::ports::{UserQueries, UserView};
use accounts_contracts::SessionId;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use shared_kernel_application::MessageBus;
use shared_kernel_application::idempotency::{IdempotentRequests, KeyOwner};
use shared_kernel_entrypoints::idempotency::{
    IdempotentJson, replay_if_answered, respond_idempotently,
};
use shared_kernel_entrypoints::{ClientAddress, CurrentSession, CurrentUser, JsonBody, Problem};

use crate::errors::IntoProblem;
use crate::rate_limits::{AddressRateLimits, check};
use crate::schemas::{
    ChangeEmailRequest, ChangePasswordRequest, RegisterUserRequest, UserResponse,
};

/// Register a new user.
///
/// The new user also gets a starter project, through the `UserAccountCreated` event. With an
/// `Idempotency-Key` (the client address's keys), a retry gets the first answer again, and
/// costs nothing of the rate limit.
#[utoipa::path(
    post,
    path = "/api/users",
    tag = "users",
    request_body = RegisterUserRequest,
    responses(
        (status = 201, description = "Registered", body = UserResponse,
            headers(("Location" = String, description = "/api/users/me"))),
        (status = 400, description = "The body is not JSON (`malformed_json`), not `application/json` (`unsupported_content_type`), or not of the documented shape (`malformed_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email address is taken, compared case-insensitively (`email_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid email or password (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address (`code`: too_many_requests)", body = Problem, content_type = "application/problem+json",
            headers(
                ("Retry-After" = u64, description = "Seconds to wait, at least 1"),
                ("RateLimit-Policy" = String, description = "The limit that refused the request (draft-ietf-httpapi-ratelimit-headers)"),
                ("RateLimit" = String, description = "What is left of it (`r=0`) and when it refills (`t`)"),
            )),
    )
)]
pub async fn register(
    client: ClientAddress,
    limits: web::Data<AddressRateLimits>,
    bus: web::Data<MessageBus>,
    idempotency: web::Data<IdempotentRequests>,
    body: IdempotentJson<RegisterUserRequest>,
) -> Result<HttpResponse, Problem> {
    let (body, key) = body.into_parts();
    let keyed = key.map(|key| key.owned_by(KeyOwner::address(client.0)));
    // A replay is no new registration: it must not spend the address's budget.
    if let Some(replay) = replay_if_answered(&idempotency, keyed.as_ref()).await? {
        return Ok(replay);
    }
    check(limits.register.as_ref(), client.0)?;
    respond_idempotently(&idempotency, keyed, registered, |keyed_answer| async move {
        bus.execute(RegisterUser {
            email: body.email,
            password: body.password,
            keyed_answer,
        })
        .await
        .map_err(IntoProblem::into_problem)
    })
    .await
}

/// The answer to a registration.
fn registered(user: &UserView) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, "/api/users/me"))
        .json(UserResponse::from(user.clone()))
}

/// The authenticated user.
#[utoipa::path(
    get,
    path = "/api/users/me",
    tag = "users",
    security(("oauth2_password" = [])),
    responses(
        (status = 200, description = "The caller", body = UserResponse),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn me(
    caller: CurrentUser,
    queries: web::Data<dyn UserQueries>,
) -> Result<HttpResponse, Problem> {
    let user = queries
        .get_user(caller.0)
        .await
        .map_err(|error| Problem::failure(&error))?
        .ok_or_else(|| Problem::unauthorized("invalid_token", "the user no longer exists"))?;
    Ok(HttpResponse::Ok().json(UserResponse::from(user)))
}

/// Change the authenticated user's email address. The same address is a no-op.
#[utoipa::path(
    put,
    path = "/api/users/me",
    tag = "users",
    security(("oauth2_password" = [])),
    request_body = ChangeEmailRequest,
    responses(
        (status = 200, description = "The updated user", body = UserResponse),
        (status = 400, description = "The body is not JSON (`malformed_json`), not `application/json` (`unsupported_content_type`), or not of the documented shape (`malformed_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another user has this address (`email_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid email address (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn change_email(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    body: JsonBody<ChangeEmailRequest>,
) -> Result<HttpResponse, Problem> {
    let user = bus
        .execute(ChangeUserEmailAddress {
            user_id: caller.0,
            email: body.into_inner().0.email,
        })
        .await
        .map_err(IntoProblem::into_problem)?;
    Ok(HttpResponse::Ok().json(UserResponse::from(user)))
}

/// Change the authenticated user's password, given the current one.
///
/// Every other session of the user ends; the request's own session goes on.
#[utoipa::path(
    put,
    path = "/api/users/me/password",
    tag = "users",
    security(("oauth2_password" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; every other session has ended"),
        (status = 400, description = "The body is not JSON (`malformed_json`), not `application/json` (`unsupported_content_type`), or not of the documented shape (`malformed_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The current password is wrong (`code`: wrong_password); it counts as a failed login", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password breaks the rules (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins for this account (`code`: too_many_requests)", body = Problem, content_type = "application/problem+json",
            headers(
                ("Retry-After" = u64, description = "Seconds to wait, at least 1"),
                ("RateLimit-Policy" = String, description = "The limit that refused the request"),
                ("RateLimit" = String, description = "What is left of it (`r=0`) and when it refills (`t`)"),
            )),
    )
)]
pub async fn change_password(
    caller: CurrentSession,
    client: ClientAddress,
    bus: web::Data<MessageBus>,
    body: JsonBody<ChangePasswordRequest>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner().0;
    bus.execute(ChangePassword {
        user_id: caller.0.user_id,
        keep: caller.0.session_id.map(SessionId::from_uuid),
        current_password: body.current_password,
        new_password: body.new_password,
        client: client.0,
    })
    .await
    .map_err(IntoProblem::into_problem)?;
    Ok(HttpResponse::NoContent().finish())
}
