//! The accounts context's tables.

use sea_orm_migration::MigrationTrait;

mod m20261121_000001_create_users;
mod m20261201_000006_create_sessions;
mod m20261201_000007_create_login_failures;

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261121_000001_create_users::Migration),
        Box::new(m20261201_000006_create_sessions::Migration),
        Box::new(m20261201_000007_create_login_failures::Migration),
    ]
}
