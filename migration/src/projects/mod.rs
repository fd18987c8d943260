//! The projects context's tables.

use sea_orm_migration::MigrationTrait;

mod m20261121_000002_create_projects_and_tasks;
mod m20261201_000012_add_task_details;

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261121_000002_create_projects_and_tasks::Migration),
        Box::new(m20261201_000012_add_task_details::Migration),
    ]
}
