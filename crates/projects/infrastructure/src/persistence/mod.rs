mod bulk_projects;
mod entities;
mod mapper;
mod project_queries;
mod project_repository;
mod task_list_query;
mod unit_of_work;

pub use bulk_projects::insert_projects;
pub use project_queries::SeaOrmProjectQueries;
pub use unit_of_work::SeaOrmProjectsUnitOfWorkFactory;
