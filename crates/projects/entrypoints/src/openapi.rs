use shared_kernel_entrypoints::idempotency::IdempotentPosts;
use utoipa::OpenApi;

use crate::routes::{projects, tasks};

/// The routes that read `IdempotentJson`.
const IDEMPOTENT_POSTS: IdempotentPosts =
    IdempotentPosts(&["/api/projects", "/api/projects/{id}/tasks"]);
use crate::schemas::{ProjectStatusParam, TaskStatusParam};

/// The projects context's part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        projects::list, projects::create, projects::get, projects::update, projects::archive,
        projects::unarchive, projects::delete,
        tasks::list, tasks::add, tasks::get, tasks::rename, tasks::complete, tasks::incomplete,
    ),
    // Query parameters' enums: utoipa refers to them but collects only bodies' schemas.
    components(schemas(ProjectStatusParam, TaskStatusParam)),
    modifiers(&IDEMPOTENT_POSTS),
    tags(
        (name = "projects", description = "The caller's projects"),
        (name = "tasks", description = "The tasks of a project, numbered 1, 2, 3…"),
    )
)]
pub struct ProjectsApi;
