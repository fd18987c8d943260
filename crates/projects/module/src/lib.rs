//! The projects context as a plug-in module: the one crate of the context that sees all of its
//! layers, so that it can hand the composition root one `Context` (ADR 0017). It wires, and
//! decides nothing: every rule lives in the layers.

use actix_web::web;
use platform_outbox::Platform;
use projects_entrypoints::ProjectsApi;
use shared_kernel_application::{BusError, EventCodecs, HandlerRegistry};
use shared_kernel_entrypoints::{AppData, Context};
use utoipa::OpenApi;

/// The projects context: projects, their tasks, and every rule about both.
pub struct Projects;

/// The projects context.
pub fn module() -> Projects {
    Projects
}

impl Context<Platform> for Projects {
    fn name(&self) -> &'static str {
        "projects"
    }

    fn register_event_schemas(&self, codecs: &mut EventCodecs) {
        projects_infrastructure::register_event_schemas(codecs);
    }

    fn wire(
        &self,
        registry: &mut HandlerRegistry,
        platform: &Platform,
    ) -> Result<AppData, BusError> {
        let adapters = projects_infrastructure::adapters(platform);
        projects_application::register(registry, &adapters.ports)?;
        Ok(AppData::default().with(adapters.queries))
    }

    fn routes(&self, config: &mut web::ServiceConfig) {
        projects_entrypoints::configure(config);
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        ProjectsApi::openapi()
    }
}
