//! What a bounded context hands the composition root (ADR 0017).

use std::sync::Arc;

use actix_web::web;
use shared_kernel_application::{BusError, EventCodecs, HandlerRegistry};

/// A bounded context as a plug-in module: everything the composition root needs of it, so
/// that the root composes a list of contexts and adding one is one entry in that list.
///
/// Each context implements it once, in its `module` crate, the one crate of the context that
/// sees all of its layers. `Platform` is what the context's adapters are built on (the
/// database connections, the outbox, the clock): the shared kernel cannot name it, because
/// the platform crates build on the kernel, so the composition root picks it
/// (`platform_outbox::Platform`).
///
/// The composition root calls the methods in this order: `register_event_schemas` for every
/// context (the outbox must read any context's events), then `wire` for every context while
/// it builds the bus, then `app_data` and `routes` on every HTTP worker; `openapi` whenever
/// the document is asked for.
pub trait Context<Platform>: Send + Sync + 'static {
    /// The context's name, as its crates and its tables are prefixed: `accounts`.
    fn name(&self) -> &'static str;

    /// The stored shape of every event the context records, published or not.
    fn register_event_schemas(&self, codecs: &mut EventCodecs);

    /// Builds the context's adapters on `platform`, registers its command and event handlers,
    /// and returns what its routes read from the app data. Besides that, every route may read
    /// the `MessageBus` and the `IdempotentRequests`, which the composition root puts in the app
    /// data itself.
    fn wire(
        &self,
        registry: &mut HandlerRegistry,
        platform: &Platform,
    ) -> Result<AppData, BusError>;

    /// The context's routes, with their problem-details answers for wrong methods. The
    /// composition root mounts the contexts listed later first, so that a context may serve a
    /// path inside an earlier context's scope (`/api/projects/{id}/activity`).
    fn routes(&self, config: &mut web::ServiceConfig);

    /// The context's part of the OpenAPI document, which the composition root merges with
    /// every other context's.
    fn openapi(&self) -> utoipa::openapi::OpenApi;
}

type AddData = Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>;

/// What a context's routes read from the app data (`web::Data<T>`, `T` usually a port such as
/// `dyn UserQueries`): the adapters `Context::wire` built, put in every HTTP worker's app.
#[derive(Clone, Default)]
pub struct AppData(Vec<AddData>);

impl AppData {
    /// Adds `data`, which routes read as `web::Data<T>`.
    pub fn with<T: ?Sized + Send + Sync + 'static>(mut self, data: Arc<T>) -> Self {
        self.0
            .push(Arc::new(move |config: &mut web::ServiceConfig| {
                config.app_data(web::Data::from(data.clone()));
            }));
        self
    }

    /// Puts every item in `config`'s app data.
    pub fn configure(&self, config: &mut web::ServiceConfig) {
        for add in &self.0 {
            add(config);
        }
    }
}
