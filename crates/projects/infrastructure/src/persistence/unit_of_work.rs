use async_trait::async_trait;
use projects_application::ports::{ProjectRepository, ProjectsUnitOfWork};
use shared_kernel_application::outbox::Inbox;
use shared_kernel_application::{InfrastructureError, UnitOfWork, UnitOfWorkFactory};
use shared_kernel_infrastructure::outbox::{Outbox, SeaOrmInbox};
use shared_kernel_infrastructure::{TransactionScope, Writer};

use super::project_repository::SeaOrmProjectRepository;

/// Opens a database transaction per use case and hands it to every projects repository.
pub struct SeaOrmProjectsUnitOfWorkFactory {
    writer: Writer,
    outbox: Outbox,
}

impl SeaOrmProjectsUnitOfWorkFactory {
    pub fn new(writer: Writer, outbox: Outbox) -> Self {
        Self { writer, outbox }
    }
}

#[async_trait]
impl UnitOfWorkFactory<dyn ProjectsUnitOfWork> for SeaOrmProjectsUnitOfWorkFactory {
    async fn begin(&self) -> Result<Box<dyn ProjectsUnitOfWork>, InfrastructureError> {
        let scope = TransactionScope::begin(&self.writer, &self.outbox).await?;
        let projects = SeaOrmProjectRepository {
            transaction: scope.participant(),
            loaded_tasks: Default::default(),
        };
        let inbox = SeaOrmInbox::new(scope.participant());
        Ok(Box::new(SeaOrmProjectsUnitOfWork {
            scope,
            projects,
            inbox,
        }))
    }
}

struct SeaOrmProjectsUnitOfWork {
    scope: TransactionScope,
    projects: SeaOrmProjectRepository,
    inbox: SeaOrmInbox,
}

#[async_trait]
impl UnitOfWork for SeaOrmProjectsUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError> {
        let Self {
            scope,
            projects,
            inbox,
        } = *self;
        // The repositories share the transaction; they must let go of it before it commits.
        drop((projects, inbox));
        scope.commit().await
    }
}

impl ProjectsUnitOfWork for SeaOrmProjectsUnitOfWork {
    fn projects(&self) -> &dyn ProjectRepository {
        &self.projects
    }

    fn inbox(&self) -> &dyn Inbox {
        &self.inbox
    }
}
