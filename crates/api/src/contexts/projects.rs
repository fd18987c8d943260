use std::sync::Arc;

use projects_application::ProjectsPorts;
use projects_application::ports::ProjectQueries;
use projects_infrastructure::{SeaOrmProjectQueries, SeaOrmProjectsUnitOfWorkFactory};
use shared_kernel_application::{BusError, HandlerRegistry};
use shared_kernel_domain::Clock;
use shared_kernel_infrastructure::Databases;
use shared_kernel_infrastructure::outbox::Outbox;

/// What the projects routes read from the app data.
#[derive(Clone)]
pub struct ProjectsServices {
    pub queries: Arc<dyn ProjectQueries>,
}

pub fn wire(
    registry: &mut HandlerRegistry,
    databases: &Databases,
    clock: Arc<dyn Clock>,
    outbox: Outbox,
) -> Result<ProjectsServices, BusError> {
    projects_application::register(
        registry,
        &ProjectsPorts {
            unit_of_work: Arc::new(SeaOrmProjectsUnitOfWorkFactory::new(
                databases.writer.clone(),
                outbox,
            )),
            clock,
        },
    )?;
    Ok(ProjectsServices {
        queries: Arc::new(SeaOrmProjectQueries::new(databases.queries.clone())),
    })
}
