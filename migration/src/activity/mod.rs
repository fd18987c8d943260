//! The activity context's tables: its record of each project and task, and the entries.

use sea_orm_migration::MigrationTrait;

mod m20261201_000004_create_activity_tables;

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(m20261201_000004_create_activity_tables::Migration)]
}
