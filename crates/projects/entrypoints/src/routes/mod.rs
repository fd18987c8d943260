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

/// The routes nest by path segment: actix matches a dynamic segment with a regex, so a
/// request tries `{id}` once and then the static suffixes, instead of one regex per route.
pub fn configure(config: &mut web::ServiceConfig) {
    config.service(
        web::scope("/api/projects")
            .service(
                web::resource("")
                    .route(web::get().to(projects::list))
                    .route(web::post().to(projects::create))
                    .default_service(web::to(method_not_allowed(&["GET", "POST"]))),
            )
            .service(
                web::scope("/{id}")
                    .service(
                        web::resource("")
                            .route(web::get().to(projects::get))
                            .route(web::put().to(projects::update))
                            .route(web::delete().to(projects::delete))
                            .default_service(web::to(method_not_allowed(&[
                                "GET", "PUT", "DELETE",
                            ]))),
                    )
                    .service(
                        web::resource("/tasks")
                            .route(web::get().to(tasks::list))
                            .route(web::post().to(tasks::add))
                            .default_service(web::to(method_not_allowed(&["GET", "POST"]))),
                    )
                    .service(
                        web::resource("/archive")
                            .route(web::put().to(projects::archive))
                            .default_service(web::to(method_not_allowed(&["PUT"]))),
                    )
                    .service(
                        web::resource("/unarchive")
                            .route(web::put().to(projects::unarchive))
                            .default_service(web::to(method_not_allowed(&["PUT"]))),
                    )
                    .service(
                        web::scope("/tasks/{number}")
                            .service(
                                web::resource("")
                                    .route(web::get().to(tasks::get))
                                    .route(web::put().to(tasks::rename))
                                    .default_service(web::to(method_not_allowed(&["GET", "PUT"]))),
                            )
                            .service(
                                web::resource("/complete")
                                    .route(web::put().to(tasks::complete))
                                    .default_service(web::to(method_not_allowed(&["PUT"]))),
                            )
                            .service(
                                web::resource("/incomplete")
                                    .route(web::put().to(tasks::incomplete))
                                    .default_service(web::to(method_not_allowed(&["PUT"]))),
                            ),
                    ),
            ),
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
