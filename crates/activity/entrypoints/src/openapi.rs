use utoipa::OpenApi;

use crate::routes;

/// The activity context's part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(routes::entries::project_activity, routes::entries::my_activity),
    tags((name = "activity", description = "What happened to the caller's projects, newest first")),
)]
pub struct ActivityApi;
