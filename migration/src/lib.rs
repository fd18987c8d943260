//! The database schema, as migrations. Each bounded context keeps its migrations in a module
//! of its own and owns its tables (`accounts_*`, `projects_*`, …); no foreign key crosses a
//! context boundary. The `outbox` module holds the platform's event outbox and inbox, which
//! every context writes through. The same migrations run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

/// Declares each listed module (`mod accounts;`) and collects every one's `migrations()`.
macro_rules! schema_modules {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*

        /// Every module's migrations.
        fn every_module() -> Vec<Box<dyn MigrationTrait>> {
            let mut migrations = Vec::new();
            $(migrations.extend($module::migrations());)*
            migrations
        }
    };
}

// One line per module: adding a context adds its own here (docs/adding-a-context.md).
schema_modules! {
    outbox,
    accounts,
    projects,
    activity,
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    /// Every module's migrations, in the order they were written. Names start with a date and
    /// a sequence number, so sorting by name gives that order whichever module holds them.
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut migrations = every_module();
        migrations.sort_by(|a, b| a.name().cmp(b.name()));
        migrations
    }
}
