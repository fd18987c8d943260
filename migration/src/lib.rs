//! The database schema, as migrations. Each bounded context keeps its migrations in a module
//! of its own and owns its tables (`accounts_*`, `projects_*`); no foreign key crosses a
//! context boundary. The shared kernel's module holds the event outbox and inbox that every
//! context writes through. The same migrations run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod accounts;
mod projects;
mod shared_kernel;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    /// Every context's migrations, in the order they were written. Names start with a date,
    /// so the order is also the order of the names.
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut migrations = accounts::migrations();
        migrations.extend(projects::migrations());
        migrations.extend(shared_kernel::migrations());
        migrations
    }
}
