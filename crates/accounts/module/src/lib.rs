//! The accounts context as a plug-in module: the one crate of the context that sees all of its
//! layers, so that it can hand the composition root one `Context` (ADR 0017). It wires, and
//! decides nothing: every rule lives in the layers.

use std::sync::Arc;

use accounts_entrypoints::{AccountsApi, AddressRateLimits};
use accounts_infrastructure::AccountsSettings;
use actix_web::web;
use platform_outbox::Platform;
use shared_kernel_application::{Authenticator, BusError, EventCodecs, HandlerRegistry};
use shared_kernel_entrypoints::{AppData, Context};
use utoipa::OpenApi;

pub use accounts_infrastructure::JwtSecret;

/// The accounts context: users, their passwords and their access tokens. It also answers,
/// for every context's routes, who is calling (`Authenticator`).
pub struct Accounts {
    settings: AccountsSettings,
}

/// The accounts context, configured with `settings`.
pub fn module(settings: AccountsSettings) -> Accounts {
    Accounts { settings }
}

impl Context<Platform> for Accounts {
    fn name(&self) -> &'static str {
        "accounts"
    }

    fn register_event_schemas(&self, codecs: &mut EventCodecs) {
        accounts_infrastructure::register_event_schemas(codecs);
    }

    fn wire(
        &self,
        registry: &mut HandlerRegistry,
        platform: &Platform,
    ) -> Result<AppData, BusError> {
        let ports = accounts_infrastructure::adapters(platform, &self.settings);
        accounts_application::register(registry, &ports)?;
        let authenticator: Arc<dyn Authenticator> = Arc::new(ports.authenticator());
        Ok(AppData::default()
            .with(ports.queries)
            .with(ports.sessions)
            .with(ports.clock)
            .with(authenticator)
            .with(Arc::new(AddressRateLimits::new(
                self.settings.login_rate_per_minute,
                self.settings.register_rate_per_hour,
            ))))
    }

    fn routes(&self, config: &mut web::ServiceConfig) {
        accounts_entrypoints::configure(config);
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        AccountsApi::openapi()
    }
}
