//! Adapters that implement the projects context's ports with sea-orm: the repository that
//! loads and saves whole `Project` aggregates (tasks included) and the read side that pages
//! through flat views.

mod persistence;

pub use persistence::{SeaOrmProjectQueries, SeaOrmProjectsUnitOfWorkFactory};
