//! What every context's adapters are built on.

use std::sync::Arc;
use std::time::Duration;

use platform_database::{Database, ReadConnection, WriteConnection};
use shared_kernel_application::{EventCodecs, EventPublisher};
use shared_kernel_domain::Clock;
use tokio::sync::Notify;

use crate::delivery::{EventDelivery, OutboxRelay, OutboxStore, RetryPolicy};
use crate::retention::{OutboxPurger, PurgeSchedule};
use crate::{Outbox, SeaOrmOutboxStore};

/// How many events the relay claims at a time.
const RELAY_BATCH_SIZE: usize = 100;

/// How events are relayed and retried (docs/events.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxSettings {
    pub retry: RetryPolicy,
    /// How often the relay looks for due events when nothing wakes it.
    pub poll_interval: Duration,
    /// How long a claim keeps other relays off an event: the longest a crashed process
    /// delays the events it was delivering.
    pub claim_lease: Duration,
    /// How long delivered events and the inbox rows of delivered events are kept before the
    /// purge deletes them; `None` keeps them for ever.
    pub retention: Option<Duration>,
}

/// What a context's infrastructure builds its adapters on: where its queries read, where its
/// transactions write, the outbox its Units of Work commit their events to, and the clock.
/// The composition root builds one and hands it to every context (`Context::wire`).
#[derive(Clone)]
pub struct Platform {
    pub queries: ReadConnection,
    pub transactions: WriteConnection,
    pub outbox: Outbox,
    pub clock: Arc<dyn Clock>,
    store: Arc<dyn OutboxStore>,
    settings: OutboxSettings,
    relay_wake: Arc<Notify>,
}

impl Platform {
    /// The platform on `database`, whose outbox writes events with `codecs` and delivers
    /// them after each commit to `publisher` (the bus's weak handle: the bus owns the
    /// handlers that hold this platform).
    pub fn new(
        database: &Database,
        codecs: Arc<EventCodecs>,
        publisher: Arc<dyn EventPublisher>,
        settings: OutboxSettings,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let store: Arc<dyn OutboxStore> = Arc::new(SeaOrmOutboxStore::new(
            database.transactions.clone(),
            codecs.clone(),
        ));
        let relay_wake = Arc::new(Notify::new());
        let delivery = Arc::new(EventDelivery {
            publisher,
            store: store.clone(),
            policy: settings.retry,
            clock: clock.clone(),
        });
        Self {
            queries: database.queries.clone(),
            transactions: database.transactions.clone(),
            outbox: Outbox::new(codecs, delivery, settings.claim_lease, relay_wake.clone()),
            clock,
            store,
            settings,
            relay_wake,
        }
    }

    /// The relay that delivers to `publisher` whatever the deliveries after the commits
    /// missed, with the notification that wakes it when events are left to it.
    pub fn relay(&self, publisher: Arc<dyn EventPublisher>) -> (OutboxRelay, Arc<Notify>) {
        let relay = OutboxRelay {
            store: self.store.clone(),
            delivery: Arc::new(EventDelivery {
                publisher,
                store: self.store.clone(),
                policy: self.settings.retry,
                clock: self.clock.clone(),
            }),
            clock: self.clock.clone(),
            lease: self.settings.claim_lease,
            batch_size: RELAY_BATCH_SIZE,
        };
        (relay, self.relay_wake.clone())
    }

    /// The purge of what is older than the retention (nothing, when everything is kept) and
    /// of expired idempotency keys.
    pub fn purger(&self) -> OutboxPurger {
        OutboxPurger::new(
            self.transactions.clone(),
            self.clock.clone(),
            self.settings.retention,
            PurgeSchedule::default(),
        )
    }
}
