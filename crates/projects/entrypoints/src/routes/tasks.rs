use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use projects_application::TaskView;
use projects_application::commands::{
    AddTask, CompleteTask, IncompleteTask, RenameTask, UpdateTask,
};
use projects_application::ports::ProjectQueries;
use projects_domain::{ProjectId, TaskNumber};
use shared_kernel_application::MessageBus;
use shared_kernel_application::idempotency::{IdempotentRequests, KeyOwner};
use shared_kernel_entrypoints::idempotency::{IdempotentJson, respond_idempotently};
use shared_kernel_entrypoints::{
    CurrentUser, FieldError, IfMatch, IfMatchHeader, IfNoneMatch, IfNoneMatchHeader, JsonBody,
    PathUuid, Problem, etag, not_modified,
};
use uuid::Uuid;

use crate::errors::{IntoProblem, task_not_found};
use crate::schemas::{LabelParam, TaskNameRequest, TaskPatchRequest, TaskRequest, TaskResponse};

/// A task's address: its project's id and its number there.
type TaskPath = web::Path<(PathUuid, u32)>;

fn task_path(path: TaskPath) -> (ProjectId, TaskNumber) {
    let (project, number) = path.into_inner();
    (ProjectId::from_uuid(project.0), TaskNumber::new(number))
}

/// Add a task; it gets the project's next number. With an `Idempotency-Key`, a retry gets the
/// first answer again instead of a second task.
#[utoipa::path(
    post, path = "/api/projects/{id}/tasks", tag = "tasks", operation_id = "add_task",
    security(("oauth2_password" = [])),
    params(("id" = Uuid, Path, description = "The project's id")),
    request_body = TaskRequest,
    responses(
        (status = 201, description = "Added", body = TaskResponse,
            headers(("Location" = String, description = "/api/projects/{id}/tasks/{number}"),
                ("ETag" = String, description = "The task's strong entity tag, for `If-Match` and `If-None-Match`"))),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`): unknown, another user's, or deleted", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`project_archived` or `too_many_incomplete_tasks`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name, description, due date, priority or labels (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    idempotency: web::Data<IdempotentRequests>,
    id: web::Path<PathUuid>,
    body: IdempotentJson<TaskRequest>,
) -> Result<HttpResponse, Problem> {
    let project_id = id.into_inner().0;
    let (body, key) = body.into_parts();
    let keyed = key.map(|key| key.owned_by(KeyOwner::user(caller.0)));
    let added = move |task: &TaskView| added(project_id, task);
    respond_idempotently(&idempotency, keyed, added, |keyed_answer| async move {
        bus.execute(AddTask {
            owner: caller.0,
            project_id: ProjectId::from_uuid(project_id),
            name: body.name,
            description: body.description,
            due_at: body.due_at,
            priority: body.priority.map(Into::into),
            labels: body.labels.map(labels).unwrap_or_default(),
            keyed_answer,
        })
        .await
        .map_err(IntoProblem::into_problem)
    })
    .await
}

/// The answer to a task's addition to project `project_id`.
fn added(project_id: Uuid, task: &TaskView) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/projects/{project_id}/tasks/{}", task.number),
        ))
        .insert_header(etag(&task.entity_tag()))
        .json(TaskResponse::from(task.clone()))
}

/// One task.
#[utoipa::path(
    get, path = "/api/projects/{id}/tasks/{number}", tag = "tasks", operation_id = "get_task",
    security(("oauth2_password" = [])),
    params(
        ("id" = Uuid, Path, description = "The project's id"),
        ("number" = i64, Path, minimum = 0, maximum = 4_294_967_295_u32, description = "The task's number in the project"),
        IfNoneMatchHeader,
    ),
    responses(
        (status = 200, description = "The task", body = TaskResponse,
            headers(("ETag" = String, description = "The task's strong entity tag: it changes when, and only when, the task's representation does, never because another task changed"))),
        (status = 304, description = "Not modified: `If-None-Match` holds the current `ETag`. No body",
            headers(("ETag" = String, description = "The task's current entity tag"))),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`: unknown, another user's, or deleted) or no such task in it (`task_not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    caller: CurrentUser,
    queries: web::Data<dyn ProjectQueries>,
    path: TaskPath,
    if_none_match: IfNoneMatch,
) -> Result<HttpResponse, Problem> {
    let (project, number) = task_path(path);
    let task = queries
        .get_task(caller.0, project, number)
        .await
        .map_err(|error| Problem::failure(&error))?
        .ok_or_else(task_not_found)?;
    let tag = task.entity_tag();
    if if_none_match.matches(&tag) {
        return Ok(not_modified(&tag));
    }
    Ok(HttpResponse::Ok()
        .insert_header(etag(&tag))
        .json(TaskResponse::from(task)))
}

/// Rename a task.
#[utoipa::path(
    put, path = "/api/projects/{id}/tasks/{number}", tag = "tasks", operation_id = "rename_task",
    security(("oauth2_password" = [])),
    params(
        ("id" = Uuid, Path, description = "The project's id"),
        ("number" = i64, Path, minimum = 0, maximum = 4_294_967_295_u32, description = "The task's number in the project"),
        IfMatchHeader,
    ),
    request_body = TaskNameRequest,
    responses(
        (status = 200, description = "The renamed task", body = TaskResponse,
            headers(("ETag" = String, description = "The task's new entity tag"))),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`: unknown, another user's, or deleted) or no such task in it (`task_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`project_archived`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: `If-Match` does not hold the task's current `ETag`; nothing changed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rename(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    path: TaskPath,
    if_match: IfMatch,
    body: JsonBody<TaskNameRequest>,
) -> Result<HttpResponse, Problem> {
    let (project_id, number) = task_path(path);
    let task = bus
        .execute(RenameTask {
            owner: caller.0,
            project_id,
            number,
            name: body.into_inner().0.name,
            precondition: if_match.into_precondition(),
        })
        .await
        .map_err(IntoProblem::into_problem)?;
    Ok(tagged(task))
}

/// Change some of a task's fields (RFC 7396 JSON merge patch): a member present sets its
/// field, `null` clears it, an absent one stays. An empty patch changes nothing.
#[utoipa::path(
    patch, path = "/api/projects/{id}/tasks/{number}", tag = "tasks", operation_id = "update_task",
    security(("oauth2_password" = [])),
    params(
        ("id" = Uuid, Path, description = "The project's id"),
        ("number" = i64, Path, minimum = 0, maximum = 4_294_967_295_u32, description = "The task's number in the project"),
        IfMatchHeader,
    ),
    request_body(content = TaskPatchRequest, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The whole task, as the patch left it", body = TaskResponse,
            headers(("ETag" = String, description = "The task's new entity tag"))),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`: unknown, another user's, or deleted) or no such task in it (`task_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`project_archived`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: `If-Match` does not hold the task's current `ETag`; nothing changed", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported_content_type`: the patch must be sent as `application/merge-patch+json`",
            body = Problem, content_type = "application/problem+json",
            headers(("Accept-Patch" = String, description = "`application/merge-patch+json`"))),
        (status = 422, description = "An invalid value, a `null` name, or an unknown member (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    path: TaskPath,
    if_match: IfMatch,
    _media_type: MergePatch,
    body: JsonBody<TaskPatchRequest>,
) -> Result<HttpResponse, Problem> {
    let (project_id, number) = task_path(path);
    let patch = body.into_inner().0;
    let name = match patch.name {
        Some(None) => {
            return Err(Problem::unprocessable(vec![FieldError {
                field: "name".into(),
                message: "must not be null: a task always has a name".into(),
            }]));
        }
        Some(Some(name)) => Some(name),
        None => None,
    };
    let task = bus
        .execute(UpdateTask {
            owner: caller.0,
            project_id,
            number,
            name,
            description: patch.description,
            due_at: patch.due_at,
            priority: patch
                .priority
                .map(|priority| priority.map(Into::into).unwrap_or_default()),
            labels: patch
                .labels
                .map(|labels| labels.map(self::labels).unwrap_or_default()),
            precondition: if_match.into_precondition(),
        })
        .await
        .map_err(IntoProblem::into_problem)?;
    Ok(tagged(task))
}

/// The media type of a merge patch (RFC 7396).
const MERGE_PATCH: &str = "application/merge-patch+json";

/// A request sent as a merge patch. Extracted before the body, so that any other media type
/// (another JSON one, text, none) is a 415 before the body is read.
pub struct MergePatch;

impl FromRequest for MergePatch {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, actix_web::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let is_merge_patch = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case(MERGE_PATCH));
        ready(if is_merge_patch {
            Ok(MergePatch)
        } else {
            Err(InternalError::from_response("not a merge patch", not_a_merge_patch()).into())
        })
    }
}

/// 415, with the patch format this resource accepts (RFC 5789 §3.1).
fn not_a_merge_patch() -> HttpResponse {
    let problem = Problem::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_content_type",
        "a task is patched with a JSON merge patch: Content-Type: application/merge-patch+json",
    );
    let mut response = problem.error_response();
    response.headers_mut().insert(
        HeaderName::from_static("accept-patch"),
        HeaderValue::from_static(MERGE_PATCH),
    );
    response
}

fn labels(labels: Vec<LabelParam>) -> Vec<String> {
    labels.into_iter().map(|label| label.0).collect()
}

/// Complete a task. Completing a completed task changes nothing.
#[utoipa::path(
    put, path = "/api/projects/{id}/tasks/{number}/complete", tag = "tasks", operation_id = "complete_task",
    security(("oauth2_password" = [])),
    params(
        ("id" = Uuid, Path, description = "The project's id"),
        ("number" = i64, Path, minimum = 0, maximum = 4_294_967_295_u32, description = "The task's number in the project"),
        IfMatchHeader,
    ),
    responses(
        (status = 200, description = "The completed task", body = TaskResponse,
            headers(("ETag" = String, description = "The task's new entity tag"))),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`: unknown, another user's, or deleted) or no such task in it (`task_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`project_archived`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: `If-Match` does not hold the task's current `ETag`; nothing changed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn complete(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    path: TaskPath,
    if_match: IfMatch,
) -> Result<HttpResponse, Problem> {
    let (project_id, number) = task_path(path);
    let task = bus
        .execute(CompleteTask {
            owner: caller.0,
            project_id,
            number,
            precondition: if_match.into_precondition(),
        })
        .await
        .map_err(IntoProblem::into_problem)?;
    Ok(tagged(task))
}

/// Mark a task incomplete again. An incomplete task stays as it is.
#[utoipa::path(
    put, path = "/api/projects/{id}/tasks/{number}/incomplete", tag = "tasks", operation_id = "incomplete_task",
    security(("oauth2_password" = [])),
    params(
        ("id" = Uuid, Path, description = "The project's id"),
        ("number" = i64, Path, minimum = 0, maximum = 4_294_967_295_u32, description = "The task's number in the project"),
        IfMatchHeader,
    ),
    responses(
        (status = 200, description = "The incomplete task", body = TaskResponse,
            headers(("ETag" = String, description = "The task's new entity tag"))),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`: unknown, another user's, or deleted) or no such task in it (`task_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`project_archived` or `too_many_incomplete_tasks`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: `If-Match` does not hold the task's current `ETag`; nothing changed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn incomplete(
    caller: CurrentUser,
    bus: web::Data<MessageBus>,
    path: TaskPath,
    if_match: IfMatch,
) -> Result<HttpResponse, Problem> {
    let (project_id, number) = task_path(path);
    let task = bus
        .execute(IncompleteTask {
            owner: caller.0,
            project_id,
            number,
            precondition: if_match.into_precondition(),
        })
        .await
        .map_err(IntoProblem::into_problem)?;
    Ok(tagged(task))
}

/// A 200 with the task a write left, and its new `ETag`.
fn tagged(task: TaskView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(etag(&task.entity_tag()))
        .json(TaskResponse::from(task))
}
