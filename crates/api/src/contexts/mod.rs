//! Wires each bounded context: which adapter implements which port, and which handlers the
//! context registers on the bus. One module per context, so that a team extending one
//! context edits its own module only.

mod accounts;
mod projects;

use std::sync::Arc;

use shared_kernel_application::outbox::{EventDelivery, OutboxRelay, OutboxStore};
use shared_kernel_application::{BusError, MessageBus};
use shared_kernel_domain::Clock;
use shared_kernel_infrastructure::outbox::{EventCodecs, Outbox, SeaOrmOutboxStore};
use shared_kernel_infrastructure::{Databases, SystemClock};
use tokio::sync::Notify;

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

/// The composed contexts, and the relay that delivers what their events' first delivery
/// missed.
pub struct Composition {
    pub services: Services,
    pub relay: OutboxRelay,
    /// Notified when events are left to the relay, so that it need not wait for its poll.
    pub relay_wake: Arc<Notify>,
}

/// How many events the relay claims at a time.
const RELAY_BATCH_SIZE: usize = 100;

/// Builds the message bus from every context's registrations, and the outbox behind it.
pub fn compose(settings: &Settings, databases: &Databases) -> Result<Composition, BusError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let codecs = Arc::new(event_codecs());
    let store: Arc<dyn OutboxStore> = Arc::new(SeaOrmOutboxStore::new(
        databases.writer.clone(),
        codecs.clone(),
    ));
    let relay_wake = Arc::new(Notify::new());
    let delivery = |publisher| {
        Arc::new(EventDelivery {
            publisher,
            store: store.clone(),
            policy: settings.outbox.retry,
            clock: clock.clone(),
        })
    };

    let (mut accounts, mut projects) = (None, None);
    // On SQLite the command handlers run on the writer's thread (ADR 0014).
    let runner = Arc::new(databases.writer.clone());
    let bus = MessageBus::build_with_runner(runner, |registry, bus| {
        // The Units of Work the bus's own handlers use reach the bus through its weak handle.
        let outbox = Outbox::new(
            codecs,
            delivery(Arc::new(bus.clone())),
            settings.outbox.claim_lease,
            relay_wake.clone(),
        );
        accounts = Some(accounts::wire(
            registry,
            settings,
            databases,
            clock.clone(),
            outbox.clone(),
        )?);
        projects = Some(projects::wire(registry, databases, clock.clone(), outbox)?);
        Ok(())
    })?;
    // `build` ran the closure, so both are set; `Stopped` only guards the impossible.
    let (Some(accounts), Some(projects)) = (accounts, projects) else {
        return Err(BusError::Stopped);
    };
    let relay = OutboxRelay {
        store: store.clone(),
        delivery: delivery(bus.clone()),
        clock: clock.clone(),
        lease: settings.outbox.claim_lease,
        batch_size: RELAY_BATCH_SIZE,
    };
    Ok(Composition {
        services: Services {
            bus,
            accounts,
            projects,
        },
        relay,
        relay_wake,
    })
}

/// The stored shape of every context's events.
fn event_codecs() -> EventCodecs {
    let mut codecs = EventCodecs::default();
    shared_kernel_infrastructure::register_event_schemas(&mut codecs);
    accounts_infrastructure::register_event_schemas(&mut codecs);
    projects_infrastructure::register_event_schemas(&mut codecs);
    codecs
}
