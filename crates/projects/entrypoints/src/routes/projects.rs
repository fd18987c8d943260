use actix_web::http::header;
use actix_web::{HttpResponse, web};
use projects_application::commands::{
    ArchiveProject, CreateProject, DeleteProject, UnarchiveProject, UpdateProject,
};
use projects_application::ports::ProjectQueries;
use projects_application::{ProjectStatus, ProjectView};
use projects_domain::ProjectId;
use shared_kernel_application::MessageBus;
use shared_kernel_application::idempotency::{IdempotentRequests, KeyOwner};
use shared_kernel_entrypoints::idempotency::{IdempotentJson, respond_idempotently};
use shared_kernel_entrypoints::{
    CurrentUser, IfMatch, IfMatchHeader, IfNoneMatch, IfNoneMatchHeader, JsonBody, PathUuid,
    Problem, QueryParams, etag, not_modified, page_params,
};

use crate::cursor::{parse_project_cursor, project_cursor};
use crate::errors::{IntoProblem, project_not_found};
use crate::schemas::{
    ListProjectsParams, ProjectPage, ProjectRequest, ProjectResponse, ProjectStatusParam,
};

/// The caller's projects, oldest first, a page at a time. Deleted projects never appear.
#[utoipa::path(
    get, path = "/api/projects", tag = "projects", operation_id = "list_projects",
    security(("oauth2_password" = [])),
    params(ListProjectsParams),
    responses(
        (status = 200, description = "A page of projects", body = ProjectPage),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad status, limit or cursor (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    caller: CurrentUser,
    queries: web::Data<dyn ProjectQueries>,
    params: QueryParams<ListProjectsParams>,
) -> Result<HttpResponse, Problem> {
    let params = params.into_inner();
    let (size, after) = page_params(params.limit, params.cursor.as_deref(), parse_project_cursor)?;
    let status = params.status.map(|status| match status {
        ProjectStatusParam::Active => ProjectStatus::Active,
        ProjectStatusParam::Archived => ProjectStatus::Archived,
    });
    let page = queries
        .list_projects(caller.0, status, size, after)
        .await
        .map_err(|error| Problem::failure(&error))?;
    let next_cursor = page.continues_after().map(|p| project_cursor(p.id));
    Ok(HttpResponse::Ok().json(ProjectPage {
        projects: page.items.into_iter().map(ProjectResponse::from).collect(),
        next_cursor,
    }))
}

/// Create a project. With an `Idempotency-Key`, a retry gets the first answer again.
#[utoipa::path(
    post, path = "/api/projects", tag = "projects", operation_id = "create_project",
    security(("oauth2_password" = [])),
    request_body = ProjectRequest,
    responses(
        (status = 201, description = "Created", body = ProjectResponse,
            headers(("Location" = String, description = "/api/projects/{id}"),
                ("ETag" = String, description = "The project's strong entity tag, for `If-Match` and `If-None-Match`"))),
        (status = 400, description = "The body is not JSON (`malformed_json`), not `application/json` (`unsupported_content_type`), or not of the documented shape (`malformed_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or maximum (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    idempotency: web::Data<IdempotentRequests>,
    body: IdempotentJson<ProjectRequest>,
) -> Result<HttpResponse, Problem> {
    let (body, key) = body.into_parts();
    let keyed = key.map(|key| key.owned_by(KeyOwner::user(caller.0)));
    respond_idempotently(&idempotency, keyed, created, |keyed_answer| async move {
        bus.execute(CreateProject {
            owner: caller.0,
            name: body.name,
            max_incomplete_tasks: body.max_incomplete_tasks,
            keyed_answer,
        })
        .await
        .map_err(IntoProblem::into_problem)
    })
    .await
}

/// The answer to a project's creation.
fn created(project: &ProjectView) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/projects/{}", project.id)))
        .insert_header(etag(&project.entity_tag()))
        .json(ProjectResponse::from(project.clone()))
}

/// One of the caller's projects.
#[utoipa::path(
    get, path = "/api/projects/{id}", tag = "projects", operation_id = "get_project",
    security(("oauth2_password" = [])),
    params(("id" = Uuid, Path, description = "The project's id"),
        IfNoneMatchHeader),
    responses(
        (status = 200, description = "The project", body = ProjectResponse,
            headers(("ETag" = String, description = "The project's strong entity tag: it changes when, and only when, the project's representation does (adding or completing a task moves its counters; renaming one does not)"))),
        (status = 304, description = "Not modified: `If-None-Match` holds the current `ETag`. No body",
            headers(("ETag" = String, description = "The project's current entity tag"))),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`): unknown, another user's, or deleted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed id (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    caller: CurrentUser,
    queries: web::Data<dyn ProjectQueries>,
    id: web::Path<PathUuid>,
    if_none_match: IfNoneMatch,
) -> Result<HttpResponse, Problem> {
    let project = queries
        .get_project(caller.0, ProjectId::from_uuid(id.into_inner().0))
        .await
        .map_err(|error| Problem::failure(&error))?
        .ok_or_else(project_not_found)?;
    let tag = project.entity_tag();
    if if_none_match.matches(&tag) {
        return Ok(not_modified(&tag));
    }
    Ok(HttpResponse::Ok()
        .insert_header(etag(&tag))
        .json(ProjectResponse::from(project)))
}

/// Rename a project and set or lift its maximum of incomplete tasks.
#[utoipa::path(
    put, path = "/api/projects/{id}", tag = "projects", operation_id = "update_project",
    security(("oauth2_password" = [])),
    params(("id" = Uuid, Path, description = "The project's id"),
        IfMatchHeader),
    request_body = ProjectRequest,
    responses(
        (status = 200, description = "The updated project", body = ProjectResponse,
            headers(("ETag" = String, description = "The project's new entity tag"))),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`): unknown, another user's, or deleted", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`project_archived`, or `max_incomplete_tasks_below_incomplete_count`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: `If-Match` does not hold the project's current `ETag`; nothing changed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or maximum (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    id: web::Path<PathUuid>,
    if_match: IfMatch,
    body: JsonBody<ProjectRequest>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner().0;
    let project = bus
        .execute(UpdateProject {
            owner: caller.0,
            project_id: ProjectId::from_uuid(id.into_inner().0),
            name: body.name,
            max_incomplete_tasks: body.max_incomplete_tasks,
            precondition: if_match.into_precondition(),
        })
        .await
        .map_err(IntoProblem::into_problem)?;
    Ok(tagged(project))
}

/// Archive a project whose tasks are all completed.
#[utoipa::path(
    put, path = "/api/projects/{id}/archive", tag = "projects", operation_id = "archive_project",
    security(("oauth2_password" = [])),
    params(("id" = Uuid, Path, description = "The project's id"),
        IfMatchHeader),
    responses(
        (status = 200, description = "The archived project", body = ProjectResponse,
            headers(("ETag" = String, description = "The project's new entity tag"))),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`): unknown, another user's, or deleted", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`project_archived` already, or `project_has_incomplete_tasks`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: `If-Match` does not hold the project's current `ETag`; nothing changed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn archive(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    id: web::Path<PathUuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, Problem> {
    let project = bus
        .execute(ArchiveProject {
            owner: caller.0,
            project_id: ProjectId::from_uuid(id.into_inner().0),
            precondition: if_match.into_precondition(),
        })
        .await
        .map_err(IntoProblem::into_problem)?;
    Ok(tagged(project))
}

/// Bring an archived project back.
#[utoipa::path(
    put, path = "/api/projects/{id}/unarchive", tag = "projects", operation_id = "unarchive_project",
    security(("oauth2_password" = [])),
    params(("id" = Uuid, Path, description = "The project's id"),
        IfMatchHeader),
    responses(
        (status = 200, description = "The active project", body = ProjectResponse,
            headers(("ETag" = String, description = "The project's new entity tag"))),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`): unknown, another user's, or deleted", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`project_not_archived`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: `If-Match` does not hold the project's current `ETag`; nothing changed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unarchive(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    id: web::Path<PathUuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, Problem> {
    let project = bus
        .execute(UnarchiveProject {
            owner: caller.0,
            project_id: ProjectId::from_uuid(id.into_inner().0),
            precondition: if_match.into_precondition(),
        })
        .await
        .map_err(IntoProblem::into_problem)?;
    Ok(tagged(project))
}

/// Delete an archived project (a soft delete: it is gone from every read and command).
#[utoipa::path(
    delete, path = "/api/projects/{id}", tag = "projects", operation_id = "delete_project",
    security(("oauth2_password" = [])),
    params(("id" = Uuid, Path, description = "The project's id"),
        IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`): unknown, another user's, or deleted", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`project_not_archived`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: `If-Match` does not hold the project's current `ETag`; nothing changed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    id: web::Path<PathUuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, Problem> {
    bus.execute(DeleteProject {
        owner: caller.0,
        project_id: ProjectId::from_uuid(id.into_inner().0),
        precondition: if_match.into_precondition(),
    })
    .await
    .map_err(IntoProblem::into_problem)?;
    Ok(HttpResponse::NoContent().finish())
}

/// A 200 with the project a write left, and its new `ETag`.
fn tagged(project: ProjectView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(etag(&project.entity_tag()))
        .json(ProjectResponse::from(project))
}
