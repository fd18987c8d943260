use activity_application::EntryView;
use activity_application::ports::ActivityQueries;
use activity_domain::EntryId;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use projects_contracts::ProjectId;
use shared_kernel_application::Page;
use shared_kernel_entrypoints::{
    CurrentUser, MalformedCursor, PathUuid, Problem, QueryParams, page_params, parse_uuid_cursor,
    uuid_cursor,
};

use crate::schemas::{ActivityParams, EntryPage, EntryResponse, ProjectActivityParams};

/// The cursor tag of a project's activity.
const PROJECT_ENTRIES: &str = "e";
/// The cursor tag of the caller's activity across their projects.
const CALLER_ENTRIES: &str = "a";

/// A project's activity, newest first, a page at a time.
///
/// Another user's project, a deleted one, and one created before the activity context was
/// deployed (its history starts then) are all "no such project".
#[utoipa::path(
    get, path = "/api/projects/{id}/activity", tag = "activity",
    security(("oauth2_password" = [])),
    params(("id" = Uuid, Path, description = "The project's id"), ProjectActivityParams),
    responses(
        (status = 200, description = "A page of the project's entries", body = EntryPage),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project (`project_not_found`): unknown, another user's, or deleted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad limit, cursor or id (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn project_activity(
    caller: CurrentUser,
    queries: web::Data<dyn ActivityQueries>,
    id: web::Path<PathUuid>,
    params: QueryParams<ProjectActivityParams>,
) -> Result<HttpResponse, Problem> {
    let params = params.into_inner();
    let (size, after) = page_params(params.limit, params.cursor.as_deref(), |cursor| {
        entry_cursor(PROJECT_ENTRIES, cursor)
    })?;
    let page = queries
        .project_entries(
            caller.0,
            ProjectId::from_uuid(id.into_inner().0),
            size,
            after,
        )
        .await
        .map_err(|error| Problem::failure(&error))?
        .ok_or_else(project_not_found)?;
    Ok(HttpResponse::Ok().json(entry_page(page, PROJECT_ENTRIES)))
}

/// The caller's activity across every project of theirs that is not deleted, newest first,
/// a page at a time.
#[utoipa::path(
    get, path = "/api/activity", tag = "activity",
    security(("oauth2_password" = [])),
    params(ActivityParams),
    responses(
        (status = 200, description = "A page of the caller's entries", body = EntryPage),
        (status = 401, description = "Not authenticated: no bearer token (`missing_token`), or one that is malformed, expired or revoked, or whose user is gone (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad limit or cursor (`validation_failed`; `errors` names each field)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn my_activity(
    caller: CurrentUser,
    queries: web::Data<dyn ActivityQueries>,
    params: QueryParams<ActivityParams>,
) -> Result<HttpResponse, Problem> {
    let params = params.into_inner();
    let (size, after) = page_params(params.limit, params.cursor.as_deref(), |cursor| {
        entry_cursor(CALLER_ENTRIES, cursor)
    })?;
    let page = queries
        .owner_entries(caller.0, size, after)
        .await
        .map_err(|error| Problem::failure(&error))?;
    Ok(HttpResponse::Ok().json(entry_page(page, CALLER_ENTRIES)))
}

fn entry_cursor(tag: &str, cursor: &str) -> Result<EntryId, MalformedCursor> {
    parse_uuid_cursor(tag, cursor).map(EntryId::from_uuid)
}

fn entry_page(page: Page<EntryView>, tag: &str) -> EntryPage {
    let next_cursor = page
        .continues_after()
        .map(|entry| uuid_cursor(tag, entry.id.as_uuid()));
    EntryPage {
        entries: page.items.into_iter().map(EntryResponse::from).collect(),
        next_cursor,
    }
}

/// The very problem the projects routes answer for a project the caller cannot see.
fn project_not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "project_not_found",
        "there is no such project",
    )
}
