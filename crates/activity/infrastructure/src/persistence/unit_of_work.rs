use activity_application::ports::{ActivityUnitOfWork, EntryRepository, TrackedProjectRepository};
use async_trait::async_trait;
use platform_database::WriteConnection;
use platform_outbox::{Outbox, SeaOrmInbox, TransactionScope};
use shared_kernel_application::{Inbox, InfrastructureError, UnitOfWork, UnitOfWorkFactory};

use super::entry_repository::SeaOrmEntries;
use super::tracked_project_repository::SeaOrmTrackedProjects;

/// Opens a database transaction per event handled and hands it to every activity repository.
pub struct SeaOrmActivityUnitOfWorkFactory {
    transactions: WriteConnection,
    outbox: Outbox,
}

impl SeaOrmActivityUnitOfWorkFactory {
    pub fn new(transactions: WriteConnection, outbox: Outbox) -> Self {
        Self {
            transactions,
            outbox,
        }
    }
}

#[async_trait]
impl UnitOfWorkFactory<dyn ActivityUnitOfWork> for SeaOrmActivityUnitOfWorkFactory {
    async fn begin(&self) -> Result<Box<dyn ActivityUnitOfWork>, InfrastructureError> {
        let scope = TransactionScope::begin(&self.transactions, &self.outbox).await?;
        Ok(Box::new(SeaOrmActivityUnitOfWork {
            projects: SeaOrmTrackedProjects {
                transaction: scope.participant(),
                loaded: Default::default(),
            },
            entries: SeaOrmEntries {
                transaction: scope.participant(),
            },
            inbox: SeaOrmInbox::new(scope.participant()),
            scope,
        }))
    }
}

struct SeaOrmActivityUnitOfWork {
    scope: TransactionScope,
    projects: SeaOrmTrackedProjects,
    entries: SeaOrmEntries,
    inbox: SeaOrmInbox,
}

#[async_trait]
impl UnitOfWork for SeaOrmActivityUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError> {
        let Self {
            scope,
            projects,
            entries,
            inbox,
        } = *self;
        // The repositories share the transaction; they must let go of it before it commits.
        drop((projects, entries, inbox));
        scope.commit().await
    }
}

impl ActivityUnitOfWork for SeaOrmActivityUnitOfWork {
    fn projects(&self) -> &dyn TrackedProjectRepository {
        &self.projects
    }

    fn entries(&self) -> &dyn EntryRepository {
        &self.entries
    }

    fn inbox(&self) -> &dyn Inbox {
        &self.inbox
    }
}
