use shared_kernel_entrypoints::idempotency::IdempotentPosts;
use utoipa::OpenApi;

use crate::routes::{projects, task_lists, tasks};

/// The routes that read `IdempotentJson`.
const IDEMPOTENT_POSTS: IdempotentPosts =
    IdempotentPosts(&["/api/projects", "/api/projects/{id}/tasks"]);
use crate::schemas::{LabelParam, ProjectStatusParam, TaskSortParam, TaskStatusParam};

/// The projects context's part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        projects::list, projects::create, projects::get, projects::update, projects::archive,
        projects::unarchive, projects::delete,
        task_lists::list, task_lists::list_all, tasks::add, tasks::get, tasks::rename,
        tasks::update, tasks::complete, tasks::incomplete,
    ),
    // Query parameters' enums: utoipa refers to them but collects only bodies' schemas.
    components(schemas(ProjectStatusParam, TaskStatusParam, TaskSortParam, LabelParam)),
    modifiers(&IDEMPOTENT_POSTS),
    tags(
        (name = "projects", description = "The caller's projects"),
        (name = "tasks", description = "The tasks of a project, numbered 1, 2, 3…, and all the caller's tasks"),
    )
)]
pub struct ProjectsApi;
