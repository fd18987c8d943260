mod unit_of_work;
mod user_entity;
mod user_mapper;
mod user_queries;
mod user_repository;

pub use unit_of_work::SeaOrmAccountsUnitOfWorkFactory;
pub use user_queries::SeaOrmUserQueries;
