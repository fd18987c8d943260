use std::sync::Arc;

use projects_contracts::{
    ProjectArchived, ProjectCreated, ProjectDeleted, ProjectUnarchived, ProjectUpdated, TaskAdded,
    TaskCompleted, TaskRenamed, TaskReopened, TaskUpdated,
};
use shared_kernel_application::{BusError, HandlerRegistry};

use crate::RecordActivity;
use crate::ports::ActivityUnitOfWorkFactory;

/// The adapters the activity use cases run on, chosen by the composition root.
#[derive(Clone)]
pub struct ActivityPorts {
    pub unit_of_work: Arc<ActivityUnitOfWorkFactory>,
}

/// Registers the activity context's event handlers on the bus: one for every projects event.
/// It has no commands: nothing changes activity but what happens to projects.
pub fn register(registry: &mut HandlerRegistry, ports: &ActivityPorts) -> Result<(), BusError> {
    let record = || RecordActivity {
        unit_of_work: ports.unit_of_work.clone(),
    };
    registry
        .event::<ProjectCreated>(record())
        .event::<ProjectUpdated>(record())
        .event::<ProjectArchived>(record())
        .event::<ProjectUnarchived>(record())
        .event::<ProjectDeleted>(record())
        .event::<TaskAdded>(record())
        .event::<TaskRenamed>(record())
        .event::<TaskCompleted>(record())
        .event::<TaskReopened>(record())
        .event::<TaskUpdated>(record());
    Ok(())
}
