use accounts_application::ports::{AccountsUnitOfWork, SessionRepository, UserRepository};
use async_trait::async_trait;
use platform_database::WriteConnection;
use platform_outbox::{Outbox, SeaOrmIdempotentAnswers, SeaOrmInbox, TransactionScope};
use shared_kernel_application::idempotency::IdempotentAnswers;
use shared_kernel_application::{Inbox, InfrastructureError, UnitOfWork, UnitOfWorkFactory};

use super::session_repository::SeaOrmSessionRepository;
use super::user_repository::SeaOrmUserRepository;

/// Opens a database transaction per use case and hands it to every accounts repository.
pub struct SeaOrmAccountsUnitOfWorkFactory {
    transactions: WriteConnection,
    outbox: Outbox,
}

impl SeaOrmAccountsUnitOfWorkFactory {
    pub fn new(transactions: WriteConnection, outbox: Outbox) -> Self {
        Self {
            transactions,
            outbox,
        }
    }
}

#[async_trait]
impl UnitOfWorkFactory<dyn AccountsUnitOfWork> for SeaOrmAccountsUnitOfWorkFactory {
    async fn begin(&self) -> Result<Box<dyn AccountsUnitOfWork>, InfrastructureError> {
        let scope = TransactionScope::begin(&self.transactions, &self.outbox).await?;
        let users = SeaOrmUserRepository {
            transaction: scope.participant(),
        };
        let sessions = SeaOrmSessionRepository {
            transaction: scope.participant(),
        };
        let inbox = SeaOrmInbox::new(scope.participant());
        let answers = SeaOrmIdempotentAnswers::new(scope.participant());
        Ok(Box::new(SeaOrmAccountsUnitOfWork {
            scope,
            users,
            sessions,
            inbox,
            answers,
        }))
    }
}

struct SeaOrmAccountsUnitOfWork {
    scope: TransactionScope,
    users: SeaOrmUserRepository,
    sessions: SeaOrmSessionRepository,
    inbox: SeaOrmInbox,
    answers: SeaOrmIdempotentAnswers,
}

#[async_trait]
impl UnitOfWork for SeaOrmAccountsUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError> {
        let Self {
            scope,
            users,
            sessions,
            inbox,
            answers,
        } = *self;
        // The repositories share the transaction; they must let go of it before it commits.
        drop((users, sessions, inbox, answers));
        scope.commit().await
    }
}

impl AccountsUnitOfWork for SeaOrmAccountsUnitOfWork {
    fn users(&self) -> &dyn UserRepository {
        &self.users
    }

    fn sessions(&self) -> &dyn SessionRepository {
        &self.sessions
    }

    fn inbox(&self) -> &dyn Inbox {
        &self.inbox
    }

    fn idempotent_answers(&self) -> &dyn IdempotentAnswers {
        &self.answers
    }
}
