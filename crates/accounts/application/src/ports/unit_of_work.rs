use shared_kernel_application::{UnitOfWork, UnitOfWorkFactory};

use super::UserRepository;

/// The accounts context's Unit of Work: its repositories share one transaction.
pub trait AccountsUnitOfWork: UnitOfWork {
    fn users(&self) -> &dyn UserRepository;
}

pub type AccountsUnitOfWorkFactory = dyn UnitOfWorkFactory<dyn AccountsUnitOfWork>;
