//! The HTTP application: every context's routes, the shared error handling, the API
//! documentation, and the liveness and readiness probes.

mod cors;
mod docs;
mod health;
mod keyed_to_completion;
mod observe;
mod openapi;
mod readiness;

use std::sync::Arc;

use actix_web::web;
use shared_kernel_application::MessageBus;
use shared_kernel_application::idempotency::IdempotentRequests;
use shared_kernel_entrypoints::{
    AppData, TrustedProxies, form_config, json_config, not_found, path_config,
};

use crate::composition::Contexts;

pub use cors::cors;
pub use keyed_to_completion::keyed_to_completion;
pub use observe::observe;
pub use openapi::api_document;
pub use readiness::Readiness;

/// What every HTTP worker serves: the bus, the idempotent requests, and each context's app
/// data and routes.
#[derive(Clone)]
pub struct HttpServices {
    pub bus: Arc<MessageBus>,
    /// Read by every route that takes an `Idempotency-Key` (`IdempotentJson`).
    pub idempotency: Arc<IdempotentRequests>,
    pub contexts: Arc<Contexts>,
    pub app_data: Vec<AppData>,
    /// Read by every route that counts requests by client address (`ClientAddress`).
    pub trusted_proxies: Arc<TrustedProxies>,
    pub readiness: Readiness,
}

/// Everything an `App` serves.
pub fn configure(config: &mut web::ServiceConfig, services: &HttpServices) {
    config
        .app_data(json_config())
        .app_data(form_config())
        .app_data(path_config())
        .app_data(web::Data::from(services.bus.clone()))
        .app_data(web::Data::from(services.idempotency.clone()))
        .app_data(web::Data::from(services.trusted_proxies.clone()))
        .app_data(web::Data::new(services.readiness.clone()));
    for app_data in &services.app_data {
        app_data.configure(config);
    }
    config
        .configure(health::configure)
        .configure(readiness::configure);
    // actix-web tries services in the order they were added, and a scope it enters answers
    // everything under its path. A context listed later may serve paths inside an earlier
    // one's (activity's `/api/projects/{id}/activity` inside projects' `/api/projects`), so
    // the later contexts' routes go first.
    for context in services.contexts.iter().rev() {
        context.routes(config);
    }
    config
        .configure(|config| docs::configure(config, &services.contexts))
        .default_service(web::to(not_found));
}
