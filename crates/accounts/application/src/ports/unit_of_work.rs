use shared_kernel_application::Inbox;
use shared_kernel_application::{UnitOfWork, UnitOfWorkFactory};

use super::{SessionRepository, UserRepository};

/// The accounts context's Unit of Work: its repositories share one transaction.
pub trait AccountsUnitOfWork: UnitOfWork {
    fn users(&self) -> &dyn UserRepository;
    fn sessions(&self) -> &dyn SessionRepository;
    /// The events the accounts handlers have processed, in the same transaction.
    fn inbox(&self) -> &dyn Inbox;
}

pub type AccountsUnitOfWorkFactory = dyn UnitOfWorkFactory<dyn AccountsUnitOfWork>;
