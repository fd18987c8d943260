use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use migration::{Migrator, MigratorTrait};
use platform_database::testing::{Backend, TestDatabase};
use platform_database::{Database, DatabaseOptions};
use projects_application::ports::{ProjectsUnitOfWork, ProjectsUnitOfWorkFactory};
use projects_domain::{
    IncompleteTaskLimit, Project, ProjectId, ProjectName, Task, TaskDetails, TaskName, TaskNumber,
};
use projects_infrastructure::{SeaOrmProjectQueries, SeaOrmProjectsUnitOfWorkFactory};
use shared_kernel_application::{EventCodecs, EventId, EventPublisher, PublishError};
use shared_kernel_domain::{DomainEvent, UserId};

/// Nobody listens: these tests look at the tables, not at the events.
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

fn codecs() -> EventCodecs {
    let mut codecs = EventCodecs::default();
    projects_infrastructure::register_event_schemas(&mut codecs);
    codecs
}

pub struct Projects {
    pub unit_of_work: Arc<ProjectsUnitOfWorkFactory>,
    pub queries: SeaOrmProjectQueries,
    _database: TestDatabase,
}

impl Projects {
    pub async fn on(backend: Backend) -> Self {
        let test_database = TestDatabase::create(backend).await;
        // The connections the server opens: on SQLite, the queries run on its reader threads
        // and the transactions on its writer's thread.
        let database = Database::connect(&test_database.url, &DatabaseOptions::default())
            .await
            .unwrap();
        Migrator::up(&database.pool, None).await.unwrap();
        let platform =
            platform_outbox::testing::platform(&database, codecs(), Arc::new(NoHandlers));
        Self {
            unit_of_work: Arc::new(SeaOrmProjectsUnitOfWorkFactory::new(
                platform.transactions,
                platform.outbox,
            )),
            queries: SeaOrmProjectQueries::new(platform.queries, platform.clock.clone()),
            _database: test_database,
        }
    }

    pub async fn begin(&self) -> Box<dyn ProjectsUnitOfWork> {
        self.unit_of_work.begin().await.unwrap()
    }

    /// Saves a new project with `tasks` tasks, the first `completed` of them completed.
    pub async fn given_project(
        &self,
        owner: UserId,
        name: &str,
        tasks: u32,
        completed: u32,
    ) -> Project {
        let mut project = new_project(owner, name, None);
        for i in 1..=tasks {
            let number = project
                .add_task(
                    task_name(&format!("task {i}")),
                    TaskDetails::default(),
                    now(),
                )
                .unwrap()
                .number();
            if i <= completed {
                project.complete_task(number, now()).unwrap();
            }
        }
        self.save_new(&mut project).await;
        project
    }

    /// Adds `project`, as it was built, and commits.
    pub async fn save_new(&self, project: &mut Project) {
        let unit_of_work = self.begin().await;
        unit_of_work.projects().add(project).await.unwrap();
        unit_of_work.commit().await.unwrap();
    }

    /// Loads the owner's project (with task `task`, if given), applies `change` and commits.
    pub async fn change(
        &self,
        owner: UserId,
        id: ProjectId,
        task: Option<TaskNumber>,
        change: impl FnOnce(&mut Project),
    ) -> Project {
        let unit_of_work = self.begin().await;
        let projects = unit_of_work.projects();
        let loaded = match task {
            None => projects.get(owner, id).await,
            Some(number) => projects.get_with_task(owner, id, number).await,
        };
        let mut project = loaded.unwrap().unwrap();
        change(&mut project);
        projects.update(&mut project).await.unwrap();
        unit_of_work.commit().await.unwrap();
        project
    }

    pub async fn load(&self, owner: UserId, id: ProjectId) -> Option<Project> {
        self.begin().await.projects().get(owner, id).await.unwrap()
    }

    /// Task `number` as the repository loads it for a command on it.
    pub async fn load_task(&self, owner: UserId, id: ProjectId, number: u32) -> Option<Task> {
        let project = self
            .begin()
            .await
            .projects()
            .get_with_task(owner, id, TaskNumber::new(number))
            .await
            .unwrap()
            .unwrap();
        assert!(
            project.loaded_tasks().len() <= 1,
            "loaded more than the task"
        );
        project.task(TaskNumber::new(number)).cloned()
    }
}

pub fn new_project(owner: UserId, name: &str, max: Option<i64>) -> Project {
    Project::create(
        ProjectId::new(),
        owner,
        ProjectName::parse(name).unwrap(),
        max.map(|m| IncompleteTaskLimit::new(m).unwrap()),
        now(),
    )
}

pub fn task_name(name: &str) -> TaskName {
    TaskName::parse(name).unwrap()
}

/// To the microsecond, which both databases store exactly.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
