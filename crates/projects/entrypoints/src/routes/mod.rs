//! The projects context's routes, mounted by the composition root.
//!
//! They expect in the app data: the `MessageBus` (commands), the `ProjectQueries` (reads) and
//! the shared kernel's `Authenticator` (for `CurrentUser`).

pub(crate) mod projects;
pub(crate) mod tasks;

use actix_web::web;
use projects_application::PageSize;
use shared_kernel_application::InvalidInput;
use shared_kernel_entrypoints::{Problem, method_not_allowed};

use crate::cursor::MalformedCursor;

pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(
            web::resource("/api/projects")
                .route(web::get().to(projects::list))
                .route(web::post().to(projects::create))
                .default_service(web::to(method_not_allowed(&["GET", "POST"]))),
        )
        .service(
            web::resource("/api/projects/{id}")
                .route(web::get().to(projects::get))
                .route(web::put().to(projects::update))
                .route(web::delete().to(projects::delete))
                .default_service(web::to(method_not_allowed(&["GET", "PUT", "DELETE"]))),
        )
        .service(
            web::resource("/api/projects/{id}/archive")
                .route(web::put().to(projects::archive))
                .default_service(web::to(method_not_allowed(&["PUT"]))),
        )
        .service(
            web::resource("/api/projects/{id}/unarchive")
                .route(web::put().to(projects::unarchive))
                .default_service(web::to(method_not_allowed(&["PUT"]))),
        )
        .service(
            web::resource("/api/projects/{id}/tasks")
                .route(web::get().to(tasks::list))
                .route(web::post().to(tasks::add))
                .default_service(web::to(method_not_allowed(&["GET", "POST"]))),
        )
        .service(
            web::resource("/api/projects/{id}/tasks/{number}")
                .route(web::get().to(tasks::get))
                .route(web::put().to(tasks::rename))
                .default_service(web::to(method_not_allowed(&["GET", "PUT"]))),
        )
        .service(
            web::resource("/api/projects/{id}/tasks/{number}/complete")
                .route(web::put().to(tasks::complete))
                .default_service(web::to(method_not_allowed(&["PUT"]))),
        )
        .service(
            web::resource("/api/projects/{id}/tasks/{number}/incomplete")
                .route(web::put().to(tasks::incomplete))
                .default_service(web::to(method_not_allowed(&["PUT"]))),
        );
}

/// Reads `limit` and `cursor`, reporting both when both are wrong.
fn page_params<K>(
    limit: Option<i64>,
    cursor: Option<&str>,
    parse_cursor: fn(&str) -> Result<K, MalformedCursor>,
) -> Result<(PageSize, Option<K>), Problem> {
    let size = limit.map(PageSize::new).transpose();
    let after = cursor.map(parse_cursor).transpose();
    let (size, after) = InvalidInput::check2(("limit", size), ("cursor", after))?;
    Ok((size.unwrap_or(PageSize::DEFAULT), after))
}
