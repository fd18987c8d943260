use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use migration::{Migrator, MigratorTrait};
use platform_database::testing::{Backend, TestDatabase};
use platform_database::{Database, DatabaseOptions, ReadConnection, WriteConnection};
use platform_outbox::delivery::{EventDelivery, OutboxStore, PendingEvent, RetryPolicy};
use platform_outbox::{EventSchema, Outbox, OutboxAdmin, SeaOrmOutboxStore, TransactionScope};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use shared_kernel_application::{
    EventCodecs, EventId, EventPublisher, HandlerFailure, PublishError,
};
use shared_kernel_domain::{Clock, DomainEvent, EmailAddress, UserId};
use tokio::sync::Notify;
use uuid::Uuid;

pub const LEASE: Duration = Duration::from_secs(30);
pub const EVENT_TYPE: &str = "test.UserRegistered";

/// To the microsecond, which both databases store exactly.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// `available_at` is stored as Unix milliseconds.
pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub fn seconds(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

/// The event these tests record: the outbox knows no context's events, only their schemas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRegistered {
    pub user_id: UserId,
    pub email: EmailAddress,
    pub occurred_at: DateTime<Utc>,
}

impl DomainEvent for UserRegistered {
    fn event_type(&self) -> &'static str {
        EVENT_TYPE
    }
    fn occurred_at(&self) -> DateTime<Utc> {
        self.occurred_at
    }
}

/// `test.UserRegistered`, version 1: `{"userId": "…", "email": "…"}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserRegisteredV1 {
    user_id: Uuid,
    email: String,
}

impl EventSchema for UserRegisteredV1 {
    type Event = UserRegistered;
    const EVENT_TYPE: &'static str = EVENT_TYPE;
    const VERSION: u32 = 1;

    fn aggregate_id(event: &UserRegistered) -> Uuid {
        event.user_id.as_uuid()
    }

    fn from_event(event: &UserRegistered) -> Self {
        Self {
            user_id: event.user_id.as_uuid(),
            email: event.email.as_str().to_owned(),
        }
    }

    fn into_event(
        self,
        occurred_at: DateTime<Utc>,
    ) -> Result<UserRegistered, Box<dyn std::error::Error + Send + Sync>> {
        Ok(UserRegistered {
            user_id: UserId::from_uuid(self.user_id),
            email: EmailAddress::parse(&self.email)?,
            occurred_at,
        })
    }
}

pub fn codecs() -> EventCodecs {
    let mut codecs = EventCodecs::default();
    codecs.register(UserRegisteredV1::codec());
    codecs
}

/// A new user's `UserRegistered`: an event of an aggregate of its own.
pub fn user_created() -> UserRegistered {
    UserRegistered {
        user_id: UserId::new(),
        email: EmailAddress::parse("ada@example.com").unwrap(),
        occurred_at: now() - seconds(5),
    }
}

/// Another event of the same aggregate as `event`, recorded later.
pub fn next_event_of(event: &UserRegistered) -> UserRegistered {
    UserRegistered {
        user_id: event.user_id,
        email: EmailAddress::parse("grace@example.com").unwrap(),
        occurred_at: event.occurred_at + seconds(1),
    }
}

/// The event a claimed row reads back as.
pub fn user_registered(pending: &PendingEvent) -> UserRegistered {
    let event = pending.event.as_ref().unwrap();
    (event.as_ref() as &dyn std::any::Any)
        .downcast_ref::<UserRegistered>()
        .unwrap()
        .clone()
}

/// One publication the bus was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub event_id: EventId,
    pub user_id: UserId,
    pub succeeded: bool,
    /// Whether the event's row could be read from another connection, i.e. was committed.
    pub committed: Option<bool>,
}

/// The bus as the outbox sees it: handles events or not, and fails on demand.
pub struct TestPublisher {
    handles: bool,
    failures_left: AtomicU32,
    always_fails: AtomicBool,
    publications: Mutex<Vec<Publication>>,
    database: OnceLock<DatabaseConnection>,
    /// The bus has exactly one handler for every event it handles.
    alone: bool,
    /// Where the handler commits a Unit of Work of its own, when it has one.
    unit_of_work: OnceLock<(WriteConnection, Outbox)>,
    /// The event's status as the handler saw it right after its Unit of Work committed.
    seen_after_commit: Mutex<Vec<String>>,
}

impl TestPublisher {
    /// A bus with a handler for every event, which succeeds.
    pub fn handling() -> Self {
        Self {
            handles: true,
            failures_left: AtomicU32::new(0),
            always_fails: AtomicBool::new(false),
            publications: Mutex::default(),
            database: OnceLock::new(),
            alone: false,
            unit_of_work: OnceLock::new(),
            seen_after_commit: Mutex::default(),
        }
    }

    /// The bus has one handler for each event, not several.
    pub fn alone(self) -> Self {
        Self {
            alone: true,
            ..self
        }
    }

    /// From now on, a handling that succeeds commits a Unit of Work of its own through
    /// `fixture`'s outbox (a failing one rolls it back), and looks at its event's status.
    pub fn commit_through(&self, fixture: &Fixture) {
        let _ = self
            .unit_of_work
            .set((fixture.transactions.clone(), fixture.outbox.clone()));
    }

    pub fn seen_after_commit(&self) -> Vec<String> {
        self.seen_after_commit.lock().unwrap().clone()
    }

    /// What the handler's Unit of Work does, if it has one: commits, then reads the status.
    async fn unit_of_work(&self, id: EventId, failing: bool) {
        let Some((transactions, outbox)) = self.unit_of_work.get() else {
            return;
        };
        let scope = TransactionScope::begin(transactions, outbox).await.unwrap();
        if failing {
            return drop(scope);
        }
        scope.commit().await.unwrap();
        let database = self.database.get().unwrap();
        let select = Query::select()
            .column("status")
            .from("event_outbox")
            .and_where(Expr::col("event_id").eq(id.as_uuid()))
            .to_owned();
        let row = database.query_one(&select).await.unwrap().unwrap();
        let status: String = row.try_get("", "status").unwrap();
        self.seen_after_commit.lock().unwrap().push(status);
    }

    /// A bus nobody listens to.
    pub fn without_handlers() -> Self {
        Self {
            handles: false,
            ..Self::handling()
        }
    }

    /// The next `n` publications fail.
    pub fn fail_next(&self, n: u32) {
        self.failures_left.store(n, Ordering::SeqCst);
    }

    pub fn fail_always(&self, fails: bool) {
        self.always_fails.store(fails, Ordering::SeqCst);
    }

    pub fn publications(&self) -> Vec<Publication> {
        self.publications.lock().unwrap().clone()
    }

    /// The events published successfully, in order.
    pub fn delivered(&self) -> Vec<EventId> {
        self.publications()
            .into_iter()
            .filter(|p| p.succeeded)
            .map(|p| p.event_id)
            .collect()
    }

    /// From now on, each publication also looks whether its event's row is committed.
    fn watch(&self, database: DatabaseConnection) {
        let _ = self.database.set(database);
    }

    async fn committed(&self, id: EventId) -> Option<bool> {
        let database = self.database.get()?;
        let select = Query::select()
            .expr(Expr::val(1))
            .from("event_outbox")
            .and_where(Expr::col("event_id").eq(id.as_uuid()))
            .to_owned();
        Some(database.query_one(&select).await.unwrap().is_some())
    }
}

#[async_trait]
impl EventPublisher for TestPublisher {
    fn has_handlers(&self, _: &dyn DomainEvent) -> bool {
        self.handles
    }

    fn has_one_handler(&self, _: &dyn DomainEvent) -> bool {
        self.handles && self.alone
    }

    async fn publish(&self, id: EventId, event: &dyn DomainEvent) -> Result<(), PublishError> {
        let user_id = (event as &dyn std::any::Any)
            .downcast_ref::<UserRegistered>()
            .unwrap()
            .user_id;
        let failing = self.always_fails.load(Ordering::SeqCst)
            || self
                .failures_left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
        let committed = self.committed(id).await;
        self.unit_of_work(id, failing).await;
        self.publications.lock().unwrap().push(Publication {
            event_id: id,
            user_id,
            succeeded: !failing,
            committed,
        });
        if failing {
            return Err(PublishError::HandlersFailed(vec![HandlerFailure {
                handler: "test.Handler",
                event_type: event.event_type(),
                error: "the handler is down".into(),
            }]));
        }
        Ok(())
    }
}

/// One row of `event_outbox`, read with plain SQL.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct StoredEvent {
    pub sequence: i64,
    pub event_id: Uuid,
    pub event_type: String,
    pub event_version: i32,
    pub aggregate_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub payload: String,
    pub recorded_at: DateTime<Utc>,
    pub status: String,
    pub attempts: i32,
    pub available_at: i64,
    pub claimed_by: Option<Uuid>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl StoredEvent {
    pub fn id(&self) -> EventId {
        EventId::from_uuid(self.event_id)
    }
}

/// A row to put straight into `event_outbox`, whatever state it is in.
#[derive(Debug, Clone)]
pub struct Given {
    status: &'static str,
    version: i32,
    attempts: i32,
    available_at: DateTime<Utc>,
    claimed_by: Option<Uuid>,
    last_error: Option<String>,
}

impl Given {
    /// Pending, never tried, due at `at`.
    pub fn pending(at: DateTime<Utc>) -> Self {
        Self {
            status: "pending",
            version: 1,
            attempts: 0,
            available_at: at,
            claimed_by: None,
            last_error: None,
        }
    }

    pub fn delivered(at: DateTime<Utc>) -> Self {
        Self {
            status: "delivered",
            ..Self::pending(at)
        }
    }

    pub fn dead(at: DateTime<Utc>) -> Self {
        Self {
            status: "dead",
            attempts: 10,
            last_error: Some("the handler is down".to_string()),
            ..Self::pending(at)
        }
    }

    /// Claimed by `claim` (its lease running until `available_at`).
    pub fn claimed(self, claim: Uuid) -> Self {
        Self {
            claimed_by: Some(claim),
            ..self
        }
    }

    pub fn attempts(self, attempts: i32) -> Self {
        Self { attempts, ..self }
    }

    pub fn version(self, version: i32) -> Self {
        Self { version, ..self }
    }
}

/// A fresh, migrated database with an outbox in front of it.
pub struct Fixture {
    /// A pool for looking at (and arranging) the tables directly.
    pub database: DatabaseConnection,
    /// What the outbox and its store write through, as in the server: on SQLite, the
    /// writer's thread.
    pub transactions: WriteConnection,
    /// Where reads run, as in the server: on SQLite, the reader threads.
    pub queries: ReadConnection,
    pub publisher: Arc<TestPublisher>,
    /// What `record` commits through; a test may put an outbox of its own here.
    pub outbox: Outbox,
    _test_database: TestDatabase,
}

impl Fixture {
    pub async fn on(backend: Backend, publisher: TestPublisher) -> Self {
        let test_database = TestDatabase::create(backend).await;
        let connected = Database::connect(&test_database.url, &DatabaseOptions::default())
            .await
            .unwrap();
        Migrator::up(&connected.pool, None).await.unwrap();
        let publisher = Arc::new(publisher);
        publisher.watch(connected.pool.clone());
        let outbox =
            platform_outbox::testing::platform(&connected, codecs(), publisher.clone()).outbox;
        Self {
            database: connected.pool,
            transactions: connected.transactions,
            queries: connected.queries,
            publisher,
            outbox,
            _test_database: test_database,
        }
    }

    /// The delivery an outbox and a relay share, on `clock` and with `policy`.
    pub fn delivery(&self, clock: Arc<dyn Clock>, policy: RetryPolicy) -> Arc<EventDelivery> {
        Arc::new(EventDelivery {
            publisher: self.publisher.clone(),
            store: Arc::new(self.store()),
            policy,
            clock,
        })
    }

    /// Commits through `delivery` from now on, waking `relay` when events are left to it.
    pub fn deliver_with(&mut self, delivery: Arc<EventDelivery>, relay: Arc<Notify>) {
        self.outbox = Outbox::new(Arc::new(codecs()), delivery, LEASE, relay);
    }

    pub fn store(&self) -> SeaOrmOutboxStore {
        SeaOrmOutboxStore::new(self.transactions.clone(), Arc::new(codecs()))
    }

    pub fn admin(&self) -> OutboxAdmin {
        OutboxAdmin::new(self.database.clone())
    }

    pub async fn begin(&self) -> TransactionScope {
        TransactionScope::begin(&self.transactions, &self.outbox)
            .await
            .unwrap()
    }

    /// Records `events` in one Unit of Work and commits it.
    pub async fn record(&self, events: &[UserRegistered]) {
        let scope = self.begin().await;
        scope.participant().record_events(
            events
                .iter()
                .map(|event| Arc::new(event.clone()) as _)
                .collect(),
        );
        scope.commit().await.unwrap();
    }

    /// Every outbox row, in recording order.
    pub async fn rows(&self) -> Vec<StoredEvent> {
        let backend = self.database.get_database_backend();
        self.database
            .query_all_raw(Statement::from_string(
                backend,
                // Named columns, not `*`: sqlx's SQLite driver panics when a pooled connection
                // opened before a migration added a column re-prepares a `*` with more of them.
                "SELECT sequence, event_id, event_type, event_version, aggregate_id, \
                 occurred_at, payload, recorded_at, status, attempts, available_at, claimed_by, \
                 last_error, delivered_at FROM event_outbox ORDER BY sequence",
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| StoredEvent::from_query_result(row, "").unwrap())
            .collect()
    }

    pub async fn row(&self, id: EventId) -> StoredEvent {
        self.rows()
            .await
            .into_iter()
            .find(|row| row.event_id == id.as_uuid())
            .unwrap()
    }

    /// Puts `event` straight into the outbox as `given` says, after every row already there.
    pub async fn given(&self, event: &UserRegistered, given: Given) -> EventId {
        let encoded = codecs().encode(event).unwrap();
        let id = EventId::new();
        let delivered_at = (given.status == "delivered").then_some(given.available_at);
        let insert = Query::insert()
            .into_table("event_outbox")
            .columns([
                "event_id",
                "event_type",
                "event_version",
                "aggregate_id",
                "occurred_at",
                "payload",
                "recorded_at",
                "status",
                "attempts",
                "available_at",
                "claimed_by",
                "last_error",
                "delivered_at",
            ])
            .values_panic([
                id.as_uuid().into(),
                encoded.event_type.into(),
                given.version.into(),
                encoded.aggregate_id.into(),
                encoded.occurred_at.into(),
                encoded.payload.into(),
                now().into(),
                given.status.into(),
                given.attempts.into(),
                millis(given.available_at).into(),
                given.claimed_by.into(),
                given.last_error.into(),
                delivered_at.into(),
            ])
            .to_owned();
        self.database.execute(&insert).await.unwrap();
        id
    }

    /// Sets one column of one row.
    pub async fn set(&self, id: EventId, column: &'static str, value: impl Into<Value>) {
        let update = Query::update()
            .table("event_outbox")
            .value(column, value.into())
            .and_where(Expr::col("event_id").eq(id.as_uuid()))
            .to_owned();
        self.database.execute(&update).await.unwrap();
    }

    /// Puts a row straight into `event_inbox`: `handler` processed `event` at `at`.
    pub async fn given_inbox(&self, handler: &str, event: EventId, at: DateTime<Utc>) {
        let insert = Query::insert()
            .into_table("event_inbox")
            .columns(["handler", "event_id", "processed_at"])
            .values_panic([handler.into(), event.as_uuid().into(), at.into()])
            .to_owned();
        self.database.execute(&insert).await.unwrap();
    }

    /// Every inbox row, as (handler, event), in no particular order.
    pub async fn inbox(&self) -> HashSet<(String, EventId)> {
        let select = Query::select()
            .columns(["handler", "event_id"])
            .from("event_inbox")
            .to_owned();
        self.database
            .query_all(&select)
            .await
            .unwrap()
            .iter()
            .map(|row| {
                let handler: String = row.try_get("", "handler").unwrap();
                let event: Uuid = row.try_get("", "event_id").unwrap();
                (handler, EventId::from_uuid(event))
            })
            .collect()
    }

    /// Claims through the store, at `at`.
    pub async fn claim(&self, at: DateTime<Utc>, limit: usize) -> Vec<PendingEvent> {
        self.store().claim_due(at, LEASE, limit).await.unwrap()
    }
}

/// The ids of claimed events, in the order they were handed out.
pub fn ids(events: &[PendingEvent]) -> Vec<EventId> {
    events.iter().map(|event| event.id).collect()
}
