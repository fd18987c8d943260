use shared_kernel_application::{Inbox, UnitOfWork, UnitOfWorkFactory};

use super::{EntryRepository, TrackedProjectRepository};

/// The activity context's Unit of Work: its repositories and its inbox share one transaction.
pub trait ActivityUnitOfWork: UnitOfWork {
    fn projects(&self) -> &dyn TrackedProjectRepository;
    fn entries(&self) -> &dyn EntryRepository;
    /// The events `RecordActivity` has processed, in the same transaction.
    fn inbox(&self) -> &dyn Inbox;
}

pub type ActivityUnitOfWorkFactory = dyn UnitOfWorkFactory<dyn ActivityUnitOfWork>;
