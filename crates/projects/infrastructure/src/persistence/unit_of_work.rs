use async_trait::async_trait;
use platform_database::WriteConnection;
use platform_outbox::{Outbox, SeaOrmIdempotentAnswers, SeaOrmInbox, TransactionScope};
use projects_application::ports::{ProjectRepository, ProjectsUnitOfWork};
use shared_kernel_application::idempotency::IdempotentAnswers;
use shared_kernel_application::{Inbox, InfrastructureError, UnitOfWork, UnitOfWorkFactory};

use super::project_repository::SeaOrmProjectRepository;

/// Opens a database transaction per use case and hands it to every projects repository.
pub struct SeaOrmProjectsUnitOfWorkFactory {
    transactions: WriteConnection,
    outbox: Outbox,
}

impl SeaOrmProjectsUnitOfWorkFactory {
    pub fn new(transactions: WriteConnection, outbox: Outbox) -> Self {
        Self {
            transactions,
            outbox,
        }
    }
}

#[async_trait]
impl UnitOfWorkFactory<dyn ProjectsUnitOfWork> for SeaOrmProjectsUnitOfWorkFactory {
    async fn begin(&self) -> Result<Box<dyn ProjectsUnitOfWork>, InfrastructureError> {
        let scope = TransactionScope::begin(&self.transactions, &self.outbox).await?;
        let projects = SeaOrmProjectRepository {
            transaction: scope.participant(),
            loaded: Default::default(),
        };
        let inbox = SeaOrmInbox::new(scope.participant());
        let answers = SeaOrmIdempotentAnswers::new(scope.participant());
        Ok(Box::new(SeaOrmProjectsUnitOfWork {
            scope,
            projects,
            inbox,
            answers,
        }))
    }
}

struct SeaOrmProjectsUnitOfWork {
    scope: TransactionScope,
    projects: SeaOrmProjectRepository,
    inbox: SeaOrmInbox,
    answers: SeaOrmIdempotentAnswers,
}

#[async_trait]
impl UnitOfWork for SeaOrmProjectsUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError> {
        let Self {
            scope,
            projects,
            inbox,
            answers,
        } = *self;
        // The repositories share the transaction; they must let go of it before it commits.
        drop((projects, inbox, answers));
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

    fn idempotent_answers(&self) -> &dyn IdempotentAnswers {
        &self.answers
    }
}
