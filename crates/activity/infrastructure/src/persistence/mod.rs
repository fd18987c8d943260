mod activity_queries;
mod bulk_records;
mod entities;
mod entry_repository;
mod mapper;
mod tracked_project_repository;
mod unit_of_work;

pub use activity_queries::SeaOrmActivityQueries;
pub use bulk_records::insert_records;
pub use unit_of_work::SeaOrmActivityUnitOfWorkFactory;
