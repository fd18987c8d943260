use actix_web::http::header;
use actix_web::{HttpResponse, web};
use utoipa_swagger_ui::{SwaggerUi, oauth};

use super::api_document;
use crate::composition::Contexts;

/// `/api/openapi.json` and Swagger UI at `/api/docs`, from assets compiled into the binary:
/// it works offline.
pub fn configure(config: &mut web::ServiceConfig, contexts: &Contexts) {
    config
        .route(
            "/api/docs",
            web::get().to(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header((header::LOCATION, "/api/docs/"))
                    .finish()
            }),
        )
        .service(
            SwaggerUi::new("/api/docs/{_:.*}")
                .url("/api/openapi.json", api_document(contexts))
                .oauth(oauth::Config::new().app_name("Task API")),
        );
}
