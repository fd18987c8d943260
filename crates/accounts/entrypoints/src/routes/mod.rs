//! The accounts context's routes, mounted by the composition root under `/api`.
//!
//! They expect in the app data: the `MessageBus` (commands), the `UserQueries` and
//! `SessionQueries` (reads), the `Clock`, and the `Authenticator` (for `CurrentUser`).

pub(crate) mod sessions;
pub(crate) mod tokens;
pub(crate) mod users;

use actix_web::web;
use shared_kernel_entrypoints::{method_not_allowed, oauth_form_config};

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
            web::resource("/api/users/me/password")
                .route(web::put().to(users::change_password))
                .default_service(web::to(method_not_allowed(&["PUT"]))),
        )
        .service(
            web::resource("/api/users/me/sessions")
                .route(web::get().to(sessions::list))
                .route(web::delete().to(sessions::end_others))
                .default_service(web::to(method_not_allowed(&["GET", "DELETE"]))),
        )
        .service(
            web::resource("/api/users/me/sessions/{id}")
                .route(web::delete().to(sessions::end_one))
                .default_service(web::to(method_not_allowed(&["DELETE"]))),
        )
        .service(
            web::resource(["/api/users/login", "/api/auth/token"])
                .app_data(oauth_form_config())
                .route(web::post().to(tokens::issue))
                .default_service(web::to(method_not_allowed(&["POST"]))),
        )
        .service(
            web::resource("/api/auth/revoke")
                .app_data(oauth_form_config())
                .route(web::post().to(tokens::revoke))
                .default_service(web::to(method_not_allowed(&["POST"]))),
        )
        .service(
            web::resource("/api/auth/logout")
                .route(web::post().to(sessions::log_out))
                .default_service(web::to(method_not_allowed(&["POST"]))),
        );
}
