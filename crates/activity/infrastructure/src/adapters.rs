//! The activity context's adapters, built for its handler and routes on the platform.

use std::sync::Arc;

use activity_application::ActivityPorts;
use activity_application::ports::ActivityQueries;
use platform_outbox::Platform;

use crate::{SeaOrmActivityQueries, SeaOrmActivityUnitOfWorkFactory};

/// Every port of the activity handler with its real adapter, and the read side its routes
/// query.
pub struct ActivityAdapters {
    pub ports: ActivityPorts,
    pub queries: Arc<dyn ActivityQueries>,
}

/// The activity context's adapters on `platform`.
pub fn adapters(platform: &Platform) -> ActivityAdapters {
    ActivityAdapters {
        ports: ActivityPorts {
            unit_of_work: Arc::new(SeaOrmActivityUnitOfWorkFactory::new(
                platform.transactions.clone(),
                platform.outbox.clone(),
            )),
        },
        queries: Arc::new(SeaOrmActivityQueries::new(platform.queries.clone())),
    }
}
