//! The projects context's adapters, built for its use cases and routes on the platform.

use std::sync::Arc;

use platform_outbox::Platform;
use projects_application::ProjectsPorts;
use projects_application::ports::ProjectQueries;

use crate::{SeaOrmProjectQueries, SeaOrmProjectsUnitOfWorkFactory};

/// Every port of the projects use cases with its real adapter, and the read side its routes
/// query.
pub struct ProjectsAdapters {
    pub ports: ProjectsPorts,
    pub queries: Arc<dyn ProjectQueries>,
}

/// The projects context's adapters on `platform`.
pub fn adapters(platform: &Platform) -> ProjectsAdapters {
    ProjectsAdapters {
        ports: ProjectsPorts {
            unit_of_work: Arc::new(SeaOrmProjectsUnitOfWorkFactory::new(
                platform.transactions.clone(),
                platform.outbox.clone(),
            )),
            clock: platform.clock.clone(),
        },
        queries: Arc::new(SeaOrmProjectQueries::new(
            platform.queries.clone(),
            platform.clock.clone(),
        )),
    }
}
