//! The activity context as a plug-in module: the one crate of the context that sees all of its
//! layers, so that it can hand the composition root one `Context` (ADR 0017). It wires, and
//! decides nothing: every rule lives in the layers.

use activity_entrypoints::ActivityApi;
use actix_web::web;
use platform_outbox::Platform;
use shared_kernel_application::{BusError, EventCodecs, HandlerRegistry};
use shared_kernel_entrypoints::{AppData, Context};
use utoipa::OpenApi;

/// The activity context: the history of every project, told from the projects context's
/// published events.
pub struct Activity;

/// The activity context.
pub fn module() -> Activity {
    Activity
}

impl Context<Platform> for Activity {
    fn name(&self) -> &'static str {
        "activity"
    }

    fn register_event_schemas(&self, codecs: &mut EventCodecs) {
        activity_infrastructure::register_event_schemas(codecs);
    }

    fn wire(
        &self,
        registry: &mut HandlerRegistry,
        platform: &Platform,
    ) -> Result<AppData, BusError> {
        let adapters = activity_infrastructure::adapters(platform);
        activity_application::register(registry, &adapters.ports)?;
        Ok(AppData::default().with(adapters.queries))
    }

    fn routes(&self, config: &mut web::ServiceConfig) {
        activity_entrypoints::configure(config);
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        ActivityApi::openapi()
    }
}
