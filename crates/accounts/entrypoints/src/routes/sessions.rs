use accounts_application::commands::{EndOtherSessions, EndSession, EndSessionError};
use accounts_application::ports::SessionQueries;
use accounts_contracts::{SessionEndReason, SessionId};
use actix_web::{HttpResponse, web};
use shared_kernel_application::{Authenticated, MessageBus};
use shared_kernel_domain::Clock;
use shared_kernel_entrypoints::{CurrentSession, PathUuid, Problem};

use crate::errors::IntoProblem;
use crate::schemas::{SessionList, SessionResponse};

/// Log out: end the session of the request's access token.
///
/// Its refresh token is refused from now on, and its access tokens are answered 401 (by
/// another instance of the service, within `AUTH_KNOWN_USER_SECONDS`).
#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "auth",
    security(("oauth2_password" = [])),
    responses(
        (status = 204, description = "The session has ended"),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn log_out(
    caller: CurrentSession,
    bus: web::Data<MessageBus>,
) -> Result<HttpResponse, Problem> {
    let Authenticated {
        user_id,
        session_id,
    } = caller.0;
    // A token from before sessions existed has no session to end: it lapses on its own.
    if let Some(session_id) = session_id {
        match bus
            .execute(EndSession {
                user_id,
                session_id: SessionId::from_uuid(session_id),
                reason: SessionEndReason::Logout,
            })
            .await
        {
            // Ended meanwhile by another request: the caller is logged out either way.
            Ok(()) | Err(EndSessionError::SessionNotFound) => {}
            Err(error) => return Err(error.into_problem()),
        }
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's active sessions, the newest first.
#[utoipa::path(
    get,
    path = "/api/users/me/sessions",
    tag = "users",
    security(("oauth2_password" = [])),
    responses(
        (status = 200, description = "The caller's sessions", body = SessionList),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    caller: CurrentSession,
    queries: web::Data<dyn SessionQueries>,
    clock: web::Data<dyn Clock>,
) -> Result<HttpResponse, Problem> {
    let sessions = queries
        .active_sessions(caller.0.user_id, clock.now())
        .await
        .map_err(|error| Problem::failure(&error))?;
    Ok(HttpResponse::Ok().json(SessionList {
        sessions: sessions
            .into_iter()
            .map(|session| SessionResponse::new(session, caller.0.session_id))
            .collect(),
    }))
}

/// End one of the caller's sessions (the current one too, if it is named).
#[utoipa::path(
    delete,
    path = "/api/users/me/sessions/{id}",
    tag = "users",
    security(("oauth2_password" = [])),
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 204, description = "The session has ended"),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No active session of the caller's has this id (`session_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The id is not a UUID (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn end_one(
    caller: CurrentSession,
    bus: web::Data<MessageBus>,
    id: web::Path<PathUuid>,
) -> Result<HttpResponse, Problem> {
    bus.execute(EndSession {
        user_id: caller.0.user_id,
        session_id: SessionId::from_uuid(id.into_inner().0),
        reason: SessionEndReason::Revoked,
    })
    .await
    .map_err(IntoProblem::into_problem)?;
    Ok(HttpResponse::NoContent().finish())
}

/// End every session of the caller's but the current one ("log out everywhere else").
#[utoipa::path(
    delete,
    path = "/api/users/me/sessions",
    tag = "users",
    security(("oauth2_password" = [])),
    responses(
        (status = 204, description = "Every other session has ended"),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn end_others(
    caller: CurrentSession,
    bus: web::Data<MessageBus>,
) -> Result<HttpResponse, Problem> {
    bus.execute(EndOtherSessions {
        user_id: caller.0.user_id,
        keep: caller.0.session_id.map(SessionId::from_uuid),
    })
    .await
    .map_err(IntoProblem::into_problem)?;
    Ok(HttpResponse::NoContent().finish())
}
