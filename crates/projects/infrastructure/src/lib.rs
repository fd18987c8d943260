//! Adapters that implement the projects context's ports with sea-orm: the repository that
//! loads and saves whole `Project` aggregates (tasks included) and the read side that pages
//! through flat views, and the stored shape of the context's events.

mod adapters;
mod event_schemas;
mod persistence;

pub use adapters::{ProjectsAdapters, adapters};
pub use event_schemas::register_event_schemas;
pub use persistence::{SeaOrmProjectQueries, SeaOrmProjectsUnitOfWorkFactory, insert_projects};
