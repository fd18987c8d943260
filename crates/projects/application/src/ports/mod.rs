//! What the projects use cases need from the outside world.

mod project_queries;
mod project_repository;
mod unit_of_work;

pub use project_queries::ProjectQueries;
pub use project_repository::ProjectRepository;
pub use unit_of_work::{ProjectsUnitOfWork, ProjectsUnitOfWorkFactory};
