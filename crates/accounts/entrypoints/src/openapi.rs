use utoipa::OpenApi;

use crate::routes;

/// The accounts context's part of the OpenAPI document; the composition root merges it with
/// the others.
#[derive(OpenApi)]
#[openapi(
    paths(routes::users::register, routes::users::me, routes::users::change_email, routes::tokens::issue),
    tags(
        (name = "users", description = "Registration and the caller's account"),
        (name = "auth", description = "Access tokens (OAuth2 password flow)"),
    )
)]
pub struct AccountsApi;
