use shared_kernel_application::Inbox;
use shared_kernel_application::idempotency::IdempotentAnswers;
use shared_kernel_application::{UnitOfWork, UnitOfWorkFactory};

use super::{SessionRepository, UserRepository};

/// The accounts context's Unit of Work: its repositories share one transaction.
pub trait AccountsUnitOfWork: UnitOfWork {
    fn users(&self) -> &dyn UserRepository;
    fn sessions(&self) -> &dyn SessionRepository;
    /// The events the accounts handlers have processed, in the same transaction.
    fn inbox(&self) -> &dyn Inbox;
    /// The answers of keyed requests, in the same transaction as the command's writes.
    fn idempotent_answers(&self) -> &dyn IdempotentAnswers;
}

pub type AccountsUnitOfWorkFactory = dyn UnitOfWorkFactory<dyn AccountsUnitOfWork>;
