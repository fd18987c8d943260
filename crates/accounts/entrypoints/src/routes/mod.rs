//! The accounts context's routes, mounted by the composition root under `/api`.
//!
//! They expect in the app data: the `MessageBus` (commands), the `UserQueries` (reads) and
//! the `Authenticator` (for `CurrentUser`).

pub(crate) mod tokens;
pub(crate) mod users;

use actix_web::web;
use shared_kernel_entrypoints::method_not_allowed;

pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(
            web::resource("/api/users")
                .route(web::post().to(users::register))
                .default_service(web::to(method_not_allowed(&["POST"]))),
        )
        .service(
            web::resource(["/api/users/me", "/api/auth/me"])
                .route(web::get().to(users::me))
                .route(web::put().to(users::change_email))
                .default_service(web::to(method_not_allowed(&["GET", "PUT"]))),
        )
        .service(
            web::resource(["/api/users/login", "/api/auth/token"])
                .route(web::post().to(tokens::issue))
                .default_service(web::to(method_not_allowed(&["POST"]))),
        );
}
