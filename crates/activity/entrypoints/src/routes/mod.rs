//! The activity context's routes, mounted by the composition root.
//!
//! They expect in the app data: the `ActivityQueries` (reads) and the shared kernel's
//! `Authenticator` (for `CurrentUser`).

pub(crate) mod entries;

use actix_web::web;
use shared_kernel_entrypoints::method_not_allowed;

use entries::{my_activity, project_activity};

/// `/api/projects/{id}/activity` lies inside the projects context's paths: the composition
/// root mounts a context listed later before the ones above it, so that this resource is
/// tried before the projects scope (ADR 0017).
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(
            web::resource("/api/projects/{id}/activity")
                .route(web::get().to(project_activity))
                .default_service(web::to(method_not_allowed(&["GET"]))),
        )
        .service(
            web::resource("/api/activity")
                .route(web::get().to(my_activity))
                .default_service(web::to(method_not_allowed(&["GET"]))),
        );
}
