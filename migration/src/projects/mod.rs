//! The projects context's tables.

use sea_orm_migration::MigrationTrait;

mod m20261121_000002_create_projects_and_tasks;

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(
        m20261121_000002_create_projects_and_tasks::Migration,
    )]
}
