use shared_kernel_application::Inbox;
use shared_kernel_application::idempotency::IdempotentAnswers;
use shared_kernel_application::{UnitOfWork, UnitOfWorkFactory};

use super::ProjectRepository;

/// The projects context's Unit of Work: its repositories share one transaction.
pub trait ProjectsUnitOfWork: UnitOfWork {
    fn projects(&self) -> &dyn ProjectRepository;
    /// The events the projects handlers have processed, in the same transaction.
    fn inbox(&self) -> &dyn Inbox;
    /// The answers of keyed requests, in the same transaction as the command's writes.
    fn idempotent_answers(&self) -> &dyn IdempotentAnswers;
}

pub type ProjectsUnitOfWorkFactory = dyn UnitOfWorkFactory<dyn ProjectsUnitOfWork>;
