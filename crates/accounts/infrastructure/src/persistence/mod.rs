mod bulk_users;
mod session_entities;
mod session_mapper;
mod session_queries;
mod session_repository;
mod unit_of_work;
mod user_entity;
mod user_mapper;
mod user_queries;
mod user_repository;

pub use bulk_users::insert_users;
pub use session_queries::SeaOrmSessionQueries;
pub use unit_of_work::SeaOrmAccountsUnitOfWorkFactory;
pub use user_queries::SeaOrmUserQueries;
