use shared_kernel_application::{UnitOfWork, UnitOfWorkFactory};

use super::ProjectRepository;

/// The projects context's Unit of Work: its repositories share one transaction.
pub trait ProjectsUnitOfWork: UnitOfWork {
    fn projects(&self) -> &dyn ProjectRepository;
}

pub type ProjectsUnitOfWorkFactory = dyn UnitOfWorkFactory<dyn ProjectsUnitOfWork>;
