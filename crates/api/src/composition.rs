//! Composes the contexts into one service: the stored shape of every event, the bus with every
//! context's handlers on the platform, and what every context's routes read.

use std::sync::Arc;

use platform_database::Database;
use platform_outbox::delivery::OutboxRelay;
use platform_outbox::{OutboxPurger, Platform, SeaOrmIdempotencyKeys};
use shared_kernel_application::idempotency::IdempotentRequests;
use shared_kernel_application::{BusError, EventCodecs, MessageBus};
use shared_kernel_domain::Clock;
use shared_kernel_entrypoints::{AppData, Context};
use shared_kernel_infrastructure::SystemClock;
use tokio::sync::Notify;

use crate::config::Settings;
use crate::contexts::contexts;

/// The composed contexts, the relay that delivers what their events' first delivery missed,
/// and the purge of what the retention no longer keeps.
pub struct Composition {
    pub bus: Arc<MessageBus>,
    /// What the keyed POSTs of every context run through (`Idempotency-Key`).
    pub idempotency: Arc<IdempotentRequests>,
    pub contexts: Arc<Contexts>,
    /// Each context's, in the order of the contexts.
    pub app_data: Vec<AppData>,
    pub relay: OutboxRelay,
    /// Notified when events are left to the relay, so that it need not wait for its poll.
    pub relay_wake: Arc<Notify>,
    /// Of events and inbox rows older than `OUTBOX_RETENTION_HOURS` (none when it is 0), and
    /// of expired idempotency keys.
    pub purger: OutboxPurger,
}

/// The contexts, as the HTTP server and the API document see them.
pub type Contexts = Vec<Box<dyn Context<Platform>>>;

/// Builds every context on `database`: the outbox learns every context's event schemas, the
/// bus every context's handlers, and on SQLite every command handler runs on the writer's
/// thread (ADR 0014).
pub fn compose(settings: &Settings, database: &Database) -> Result<Composition, BusError> {
    let contexts = contexts(settings);
    let mut codecs = EventCodecs::default();
    for context in &contexts {
        context.register_event_schemas(&mut codecs);
    }
    let codecs = Arc::new(codecs);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);

    let mut wired = None;
    let bus = MessageBus::build(|registry, bus| {
        if let Some(decorator) = database.transactions.command_decorator() {
            registry.decorate_commands(decorator);
        }
        // The Units of Work the bus's own handlers use reach the bus through its weak handle.
        let platform = Platform::new(
            database,
            codecs,
            Arc::new(bus.clone()),
            settings.outbox,
            clock,
        );
        let app_data = contexts
            .iter()
            .map(|context| context.wire(registry, &platform))
            .collect::<Result<Vec<_>, _>>()?;
        wired = Some((platform, app_data));
        Ok(())
    })?;
    // `build` ran the closure, so both are set; `Stopped` only guards the impossible.
    let Some((platform, app_data)) = wired else {
        return Err(BusError::Stopped);
    };
    let (relay, relay_wake) = platform.relay(bus.clone());
    let purger = platform.purger();
    let idempotency = Arc::new(IdempotentRequests::new(Arc::new(
        SeaOrmIdempotencyKeys::on(&platform, settings.idempotency),
    )));
    Ok(Composition {
        bus,
        idempotency,
        contexts: Arc::new(contexts),
        app_data,
        relay,
        relay_wake,
        purger,
    })
}
