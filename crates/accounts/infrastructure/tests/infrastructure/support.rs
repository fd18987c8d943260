use std::sync::{Arc, Mutex};

use accounts_application::ports::{AccountsUnitOfWork, AccountsUnitOfWorkFactory};
use accounts_domain::{PasswordHash, User};
use accounts_infrastructure::{
    SeaOrmAccountsUnitOfWorkFactory, SeaOrmLoginFailures, SeaOrmSessionQueries, SeaOrmUserQueries,
};
use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use migration::{Migrator, MigratorTrait};
use platform_database::testing::{Backend, TestDatabase};
use platform_database::{Database, DatabaseOptions};
use shared_kernel_application::{EventCodecs, EventId, EventPublisher, PublishError};
use shared_kernel_domain::{DomainEvent, EmailAddress, UserId};

/// Handles every event by remembering its type.
#[derive(Default)]
pub struct RecordingPublisher(Mutex<Vec<&'static str>>);

impl RecordingPublisher {
    pub fn published(&self) -> Vec<&'static str> {
        self.0.lock().unwrap().clone()
    }
}

#[async_trait]
impl EventPublisher for RecordingPublisher {
    fn has_handlers(&self, _: &dyn DomainEvent) -> bool {
        true
    }

    async fn publish(&self, _: EventId, event: &dyn DomainEvent) -> Result<(), PublishError> {
        self.0.lock().unwrap().push(event.event_type());
        Ok(())
    }
}

pub struct Accounts {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub queries: SeaOrmUserQueries,
    pub sessions: SeaOrmSessionQueries,
    pub failures: SeaOrmLoginFailures,
    pub publisher: Arc<RecordingPublisher>,
    _test_database: TestDatabase,
}

impl Accounts {
    pub async fn on(backend: Backend) -> Self {
        let test_database = TestDatabase::create(backend).await;
        // The connections the server opens: on SQLite, the queries run on its reader threads
        // and the transactions on its writer's thread.
        let database = Database::connect(&test_database.url, &DatabaseOptions::default())
            .await
            .unwrap();
        Migrator::up(&database.pool, None).await.unwrap();
        let publisher = Arc::new(RecordingPublisher::default());
        let mut codecs = EventCodecs::default();
        accounts_infrastructure::register_event_schemas(&mut codecs);
        let platform = platform_outbox::testing::platform(&database, codecs, publisher.clone());
        Self {
            failures: SeaOrmLoginFailures::new(
                platform.queries.clone(),
                platform.transactions.clone(),
            ),
            unit_of_work: Arc::new(SeaOrmAccountsUnitOfWorkFactory::new(
                platform.transactions,
                platform.outbox,
            )),
            queries: SeaOrmUserQueries::new(platform.queries.clone()),
            sessions: SeaOrmSessionQueries::new(platform.queries),
            publisher,
            _test_database: test_database,
        }
    }

    pub async fn begin(&self) -> Box<dyn AccountsUnitOfWork> {
        self.unit_of_work.begin().await.unwrap()
    }

    /// Registers and commits a user.
    pub async fn given_user(&self, email: &str) -> User {
        let mut user = new_user(email);
        let unit_of_work = self.begin().await;
        unit_of_work.users().add(&mut user).await.unwrap();
        unit_of_work.commit().await.unwrap();
        user
    }
}

/// A freshly registered user (with its `UserAccountCreated` event), stamped to the
/// microsecond, which both databases store exactly.
pub fn new_user(email: &str) -> User {
    User::register(
        UserId::new(),
        EmailAddress::parse(email).unwrap(),
        PasswordHash::new("$2b$04$abcdefghijklmnopqrstuuJ1Yq1Jm8K1oNzrXh8Xq4jQpVbRHyZuW"),
        now(),
    )
}

pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
