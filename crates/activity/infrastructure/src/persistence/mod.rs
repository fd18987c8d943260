mod activity_queries;
mod entities;
mod entry_repository;
mod mapper;
mod tracked_project_repository;
mod unit_of_work;

pub use activity_queries::SeaOrmActivityQueries;
pub use unit_of_work::SeaOrmActivityUnitOfWorkFactory;
