//! The task lists: one project's (`GET /api/projects/{id}/tasks`) and all the caller's
//! (`GET /api/tasks`), with the same filters, orders and pages.

use actix_web::{HttpResponse, web};
use projects_application::ports::ProjectQueries;
use projects_application::{
    TaskCursor, TaskFilter, TaskQuery, TaskSearch, TaskSort, TaskStatus, TaskView,
};
use projects_domain::{Label, LabelError, Labels, ProjectId, TaskPriority};
use shared_kernel_application::{InvalidInput, Page};
use shared_kernel_entrypoints::{CurrentUser, PathUuid, Problem, QueryParams, page_params};

use crate::cursor::{ALL_TASKS, PROJECT_TASKS, parse_task_cursor, task_cursor};
use crate::errors::project_not_found;
use crate::schemas::{
    LabelParam, TaskListParams, TaskPage, TaskResponse, TaskSortParam, TaskStatusParam,
};

/// A project's tasks, a page at a time: every task by number unless the parameters say
/// otherwise.
#[utoipa::path(
    get, path = "/api/projects/{id}/tasks", tag = "tasks", operation_id = "list_tasks",
    security(("oauth2_password" = [])),
    params(("id" = Uuid, Path, description = "The project's id"), TaskListParams),
    responses(
        (status = 200, description = "A page of tasks", body = TaskPage),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`): unknown, another user's, or deleted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad parameter or id (`validation_failed`; `errors[].field` is the parameter's name), or a cursor of another list, sort or filters (`cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    caller: CurrentUser,
    queries: web::Data<dyn ProjectQueries>,
    id: web::Path<PathUuid>,
    params: QueryParams<TaskListParams>,
) -> Result<HttpResponse, Problem> {
    let params = params.into_inner();
    let query = task_query(&params, None, TaskSort::Number)?;
    let (size, after) = page_params(params.limit, params.cursor.as_deref(), |cursor| {
        parse_task_cursor(PROJECT_TASKS, &query, cursor)
    })?;
    let project = ProjectId::from_uuid(id.into_inner().0);
    let page = queries
        .list_tasks(caller.0, project, &query, size, after.as_ref())
        .await
        .map_err(|error| Problem::failure(&error))?
        .ok_or_else(project_not_found)?;
    Ok(task_page(PROJECT_TASKS, &query, page))
}

/// The caller's tasks across all their projects that are neither archived nor deleted, each
/// with its `projectId`: incomplete ones by due date unless the parameters say otherwise.
#[utoipa::path(
    get, path = "/api/tasks", tag = "tasks", operation_id = "list_all_tasks",
    security(("oauth2_password" = [])),
    params(TaskListParams),
    responses(
        (status = 200, description = "A page of tasks", body = TaskPage),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad parameter (`validation_failed`; `errors[].field` is the parameter's name), or a cursor of another list, sort or filters (`cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_all(
    caller: CurrentUser,
    queries: web::Data<dyn ProjectQueries>,
    params: QueryParams<TaskListParams>,
) -> Result<HttpResponse, Problem> {
    let params = params.into_inner();
    let query = task_query(&params, Some(TaskStatus::Incomplete), TaskSort::DueAt)?;
    let (size, after) = page_params(params.limit, params.cursor.as_deref(), |cursor| {
        parse_task_cursor(ALL_TASKS, &query, cursor)
    })?;
    let page = queries
        .list_all_tasks(caller.0, &query, size, after.as_ref())
        .await
        .map_err(|error| Problem::failure(&error))?;
    Ok(task_page(ALL_TASKS, &query, page))
}

/// The query `params` ask for, the list's own defaults for what they leave out. A bad
/// `priority`, `label` or `q` is reported under its own name, all three at once.
fn task_query(
    params: &TaskListParams,
    default_status: Option<TaskStatus>,
    default_sort: TaskSort,
) -> Result<TaskQuery, Problem> {
    let status = match params.status {
        None => default_status,
        Some(TaskStatusParam::All) => None,
        Some(TaskStatusParam::Completed) => Some(TaskStatus::Completed),
        Some(TaskStatusParam::Incomplete) => Some(TaskStatus::Incomplete),
    };
    let priorities = params
        .priority
        .as_deref()
        .map(priorities)
        .transpose()
        .map_err(|error| InvalidInput::field("priority", error));
    let labels = label_filter(&params.label).map_err(|error| InvalidInput::field("label", error));
    let search = params
        .q
        .as_deref()
        .map(TaskSearch::parse)
        .transpose()
        .map_err(|error| InvalidInput::field("q", error));
    let (priorities, (labels, search)) =
        InvalidInput::both(priorities, InvalidInput::both(labels, search))?;
    let sort = match params.sort {
        None => default_sort,
        Some(TaskSortParam::Number) => TaskSort::Number,
        Some(TaskSortParam::DueAt) => TaskSort::DueAt,
        Some(TaskSortParam::PriorityDescending) => TaskSort::PriorityDescending,
        Some(TaskSortParam::CreatedAt) => TaskSort::CreatedAt,
        Some(TaskSortParam::UpdatedAtDescending) => TaskSort::UpdatedAtDescending,
    };
    Ok(TaskQuery {
        filter: TaskFilter {
            status,
            priorities: priorities.unwrap_or_default(),
            labels,
            due_before: params.due_before,
            due_after: params.due_after,
            overdue: params.overdue,
            search,
        },
        sort,
    })
}

/// The labels a list is filtered by: as many as a task may have.
fn label_filter(labels: &[LabelParam]) -> Result<Vec<Label>, LabelError> {
    Labels::parse(labels).map(|labels| labels.iter().cloned().collect())
}

/// `high,urgent` as priorities.
fn priorities(list: &str) -> Result<Vec<TaskPriority>, String> {
    list.split(',')
        .map(|name| {
            TaskPriority::parse(name)
                .ok_or_else(|| format!("`{name}` is not one of none, low, medium, high, urgent"))
        })
        .collect()
}

/// The page, with the cursor after its last task when more follow.
fn task_page(tag: char, query: &TaskQuery, page: Page<TaskView>) -> HttpResponse {
    let next_cursor = page
        .continues_after()
        .map(|last| task_cursor(tag, query, &TaskCursor::after(last, query.sort)));
    HttpResponse::Ok().json(TaskPage {
        tasks: page.items.into_iter().map(TaskResponse::from).collect(),
        next_cursor,
    })
}
