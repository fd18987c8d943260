use std::sync::Arc;

use accounts_application::ports::{AccountsUnitOfWork, UserRepository};
use async_trait::async_trait;
use sea_orm::DatabaseConnection;
use shared_kernel_application::{
    EventPublisher, InfrastructureError, UnitOfWork, UnitOfWorkFactory,
};
use shared_kernel_infrastructure::TransactionScope;

use super::user_repository::SeaOrmUserRepository;

/// Opens a database transaction per use case and hands it to every accounts repository.
pub struct SeaOrmAccountsUnitOfWorkFactory {
    database: DatabaseConnection,
    publisher: Arc<dyn EventPublisher>,
}

impl SeaOrmAccountsUnitOfWorkFactory {
    pub fn new(database: DatabaseConnection, publisher: Arc<dyn EventPublisher>) -> Self {
        Self {
            database,
            publisher,
        }
    }
}

#[async_trait]
impl UnitOfWorkFactory<dyn AccountsUnitOfWork> for SeaOrmAccountsUnitOfWorkFactory {
    async fn begin(&self) -> Result<Box<dyn AccountsUnitOfWork>, InfrastructureError> {
        let scope = TransactionScope::begin(&self.database, self.publisher.clone()).await?;
        let users = SeaOrmUserRepository {
            transaction: scope.participant(),
        };
        Ok(Box::new(SeaOrmAccountsUnitOfWork { scope, users }))
    }
}

struct SeaOrmAccountsUnitOfWork {
    scope: TransactionScope,
    users: SeaOrmUserRepository,
}

#[async_trait]
impl UnitOfWork for SeaOrmAccountsUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError> {
        let Self { scope, users } = *self;
        // The repositories share the transaction; they must let go of it before it commits.
        drop(users);
        scope.commit().await
    }
}

impl AccountsUnitOfWork for SeaOrmAccountsUnitOfWork {
    fn users(&self) -> &dyn UserRepository {
        &self.users
    }
}
