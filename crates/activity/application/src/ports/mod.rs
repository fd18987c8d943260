//! What the activity use cases need from the outside world.

mod activity_queries;
mod entry_repository;
mod tracked_project_repository;
mod unit_of_work;

pub use activity_queries::ActivityQueries;
pub use entry_repository::EntryRepository;
pub use tracked_project_repository::TrackedProjectRepository;
pub use unit_of_work::{ActivityUnitOfWork, ActivityUnitOfWorkFactory};
