mod bulk_users;
mod login_failure_entities;
mod login_failures;
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
pub use login_failures::SeaOrmLoginFailures;
pub use session_queries::SeaOrmSessionQueries;
pub use unit_of_work::SeaOrmAccountsUnitOfWorkFactory;
pub use user_queries::SeaOrmUserQueries;
