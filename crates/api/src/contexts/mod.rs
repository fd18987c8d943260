//! Wires each bounded context: which adapter implements which port, and which handlers the
//! context registers on the bus. One module per context, so that a team extending one
//! context edits its own module only.

mod accounts;
mod projects;

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use shared_kernel_application::{BusError, EventPublisher, MessageBus};
use shared_kernel_domain::Clock;
use shared_kernel_infrastructure::SystemClock;

pub use accounts::AccountsServices;
pub use projects::ProjectsServices;

use crate::config::Settings;

/// What the HTTP layer needs from the composed contexts.
#[derive(Clone)]
pub struct Services {
    pub bus: Arc<MessageBus>,
    pub accounts: AccountsServices,
    pub projects: ProjectsServices,
}

/// Builds the message bus from every context's registrations.
pub fn compose(settings: &Settings, database: &DatabaseConnection) -> Result<Services, BusError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (mut accounts, mut projects) = (None, None);
    let bus = MessageBus::build(|registry, bus| {
        let publisher: Arc<dyn EventPublisher> = Arc::new(bus.clone());
        accounts = Some(accounts::wire(
            registry,
            settings,
            database,
            clock.clone(),
            publisher.clone(),
        )?);
        projects = Some(projects::wire(
            registry,
            bus,
            database,
            clock.clone(),
            publisher,
        )?);
        Ok(())
    })?;
    // `build` ran the closure, so both are set; `Stopped` only guards the impossible.
    let (Some(accounts), Some(projects)) = (accounts, projects) else {
        return Err(BusError::Stopped);
    };
    Ok(Services {
        bus,
        accounts,
        projects,
    })
}
