use actix_web::{HttpResponse, web};
use serde_json::json;
use shared_kernel_entrypoints::method_not_allowed;

pub fn configure(config: &mut web::ServiceConfig) {
    config.service(
        web::resource("/health")
            .route(web::get().to(health))
            .default_service(web::to(method_not_allowed(&["GET"]))),
    );
}

/// Liveness: the process is up and serving HTTP.
#[utoipa::path(
    get,
    path = "/health",
    tag = "health",
    responses((status = 200, description = "The server is up", body = Object, example = json!({"status": "ok"})))
)]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}
