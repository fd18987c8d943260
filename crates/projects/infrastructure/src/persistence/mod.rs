mod entities;
mod mapper;
mod project_queries;
mod project_repository;
mod unit_of_work;

pub use project_queries::SeaOrmProjectQueries;
pub use unit_of_work::SeaOrmProjectsUnitOfWorkFactory;
