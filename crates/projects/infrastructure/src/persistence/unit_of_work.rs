use std::sync::Arc;

use async_trait::async_trait;
use projects_application::ports::{ProjectRepository, ProjectsUnitOfWork};
use sea_orm::DatabaseConnection;
use shared_kernel_application::{
    EventPublisher, InfrastructureError, UnitOfWork, UnitOfWorkFactory,
};
use shared_kernel_infrastructure::TransactionScope;

use super::project_repository::SeaOrmProjectRepository;

/// Opens a database transaction per use case and hands it to every projects repository.
pub struct SeaOrmProjectsUnitOfWorkFactory {
    database: DatabaseConnection,
    publisher: Arc<dyn EventPublisher>,
}

impl SeaOrmProjectsUnitOfWorkFactory {
    pub fn new(database: DatabaseConnection, publisher: Arc<dyn EventPublisher>) -> Self {
        Self {
            database,
            publisher,
        }
    }
}

#[async_trait]
impl UnitOfWorkFactory<dyn ProjectsUnitOfWork> for SeaOrmProjectsUnitOfWorkFactory {
    async fn begin(&self) -> Result<Box<dyn ProjectsUnitOfWork>, InfrastructureError> {
        let scope = TransactionScope::begin(&self.database, self.publisher.clone()).await?;
        let projects = SeaOrmProjectRepository {
            transaction: scope.participant(),
            loaded_tasks: Default::default(),
        };
        Ok(Box::new(SeaOrmProjectsUnitOfWork { scope, projects }))
    }
}

struct SeaOrmProjectsUnitOfWork {
    scope: TransactionScope,
    projects: SeaOrmProjectRepository,
}

#[async_trait]
impl UnitOfWork for SeaOrmProjectsUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError> {
        let Self { scope, projects } = *self;
        // The repositories share the transaction; they must let go of it before it commits.
        drop(projects);
        scope.commit().await
    }
}

impl ProjectsUnitOfWork for SeaOrmProjectsUnitOfWork {
    fn projects(&self) -> &dyn ProjectRepository {
        &self.projects
    }
}
