//! The projects context's routes, mounted by the composition root.
//!
//! They expect in the app data: the `MessageBus` (commands), the `ProjectQueries` (reads) and
//! the shared kernel's `Authenticator` (for `CurrentUser`).

pub(crate) mod projects;
pub(crate) mod task_lists;
pub(crate) mod tasks;

use actix_web::web;

use shared_kernel_entrypoints::method_not_allowed;

/// The routes nest by path segment: actix matches a dynamic segment with a regex, so a
/// request tries `{id}` once and then the static suffixes, instead of one regex per route.
pub fn configure(config: &mut web::ServiceConfig) {
    config.service(
        web::resource("/api/tasks")
            .route(web::get().to(task_lists::list_all))
            .default_service(web::to(method_not_allowed(&["GET"]))),
    );
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
                            .route(web::get().to(task_lists::list))
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
                                    .route(web::patch().to(tasks::update))
                                    .default_service(web::to(method_not_allowed(&[
                                        "GET", "PUT", "PATCH",
                                    ]))),
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
