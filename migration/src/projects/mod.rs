//! The projects context's tables (none yet: the context's scaffold comes first).

use sea_orm_migration::MigrationTrait;

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    Vec::new()
}
