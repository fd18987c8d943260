use std::sync::Arc;

use activity_application::ports::{ActivityUnitOfWork, ActivityUnitOfWorkFactory};
use activity_domain::{Change, Entry, EntryId, TrackedProject};
use activity_infrastructure::{SeaOrmActivityQueries, SeaOrmActivityUnitOfWorkFactory};
use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use migration::{Migrator, MigratorTrait};
use platform_database::testing::{Backend, TestDatabase};
use platform_database::{Database, DatabaseOptions};
use projects_contracts::{ProjectId, TaskNumber};
use shared_kernel_application::{EventCodecs, EventId, EventPublisher, PublishError};
use shared_kernel_domain::{DomainEvent, UserId};

/// Nobody listens: activity records no events.
struct NoHandlers;

#[async_trait]
impl EventPublisher for NoHandlers {
    fn has_handlers(&self, _: &dyn DomainEvent) -> bool {
        false
    }

    async fn publish(&self, _: EventId, _: &dyn DomainEvent) -> Result<(), PublishError> {
        Ok(())
    }
}

pub struct Activity {
    pub unit_of_work: Arc<ActivityUnitOfWorkFactory>,
    pub queries: SeaOrmActivityQueries,
    _database: TestDatabase,
}

impl Activity {
    pub async fn on(backend: Backend) -> Self {
        let test_database = TestDatabase::create(backend).await;
        // The connections the server opens: on SQLite, the queries run on its reader threads
        // and the transactions on its writer's thread.
        let database = Database::connect(&test_database.url, &DatabaseOptions::default())
            .await
            .unwrap();
        Migrator::up(&database.pool, None).await.unwrap();
        let platform = platform_outbox::testing::platform(
            &database,
            EventCodecs::default(),
            Arc::new(NoHandlers),
        );
        Self {
            unit_of_work: Arc::new(SeaOrmActivityUnitOfWorkFactory::new(
                platform.transactions,
                platform.outbox,
            )),
            queries: SeaOrmActivityQueries::new(platform.queries),
            _database: test_database,
        }
    }

    pub async fn begin(&self) -> Box<dyn ActivityUnitOfWork> {
        self.unit_of_work.begin().await.unwrap()
    }

    /// Records the creation of a project of `owner` named `name`, as the handler does.
    pub async fn given_project(&self, owner: UserId, name: &str) -> (TrackedProject, Entry) {
        let (project, entry) = TrackedProject::created(
            ProjectId::new(),
            owner,
            Some(name.into()),
            None,
            new_entry_id(),
            now(),
        );
        let unit_of_work = self.begin().await;
        unit_of_work.projects().add(&project).await.unwrap();
        unit_of_work.entries().add(&entry).await.unwrap();
        unit_of_work.commit().await.unwrap();
        (project, entry)
    }

    /// Records `change` to `project`, loading it as the handler does; the entry written.
    pub async fn given_change(&self, project: ProjectId, change: Change) -> Entry {
        let unit_of_work = self.begin().await;
        let mut tracked = unit_of_work
            .projects()
            .get(project, change.task_to_load())
            .await
            .unwrap()
            .unwrap();
        let entry = tracked.record(change, new_entry_id(), now());
        unit_of_work.projects().update(&tracked).await.unwrap();
        unit_of_work.entries().add(&entry).await.unwrap();
        unit_of_work.commit().await.unwrap();
        entry
    }

    pub async fn given_task(&self, project: ProjectId, number: u32, name: &str) -> Entry {
        self.given_change(
            project,
            Change::TaskAdded {
                number: TaskNumber::new(number),
                name: Some(name.into()),
            },
        )
        .await
    }
}

/// A new entry id, later than every one before it, as event ids are.
pub fn new_entry_id() -> EntryId {
    EntryId::from_uuid(uuid::Uuid::now_v7())
}

/// To the microsecond, which both databases store exactly.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
