use std::sync::Arc;

use shared_kernel_application::{BusError, HandlerRegistry};
use shared_kernel_domain::Clock;

use crate::CreateStarterProject;
use crate::commands::{
    AddTask, ArchiveProject, CompleteTask, CreateProject, DeleteProject, IncompleteTask,
    ProjectCommands, RenameTask, UnarchiveProject, UpdateProject, UpdateTask,
};
use crate::ports::ProjectsUnitOfWorkFactory;

/// The adapters the projects use cases run on, chosen by the composition root.
#[derive(Clone)]
pub struct ProjectsPorts {
    pub unit_of_work: Arc<ProjectsUnitOfWorkFactory>,
    pub clock: Arc<dyn Clock>,
}

/// Registers the projects context's command and event handlers on the bus.
pub fn register(registry: &mut HandlerRegistry, ports: &ProjectsPorts) -> Result<(), BusError> {
    let commands = ProjectCommands {
        unit_of_work: ports.unit_of_work.clone(),
        clock: ports.clock.clone(),
    };
    registry
        .command::<CreateProject>(commands.clone())?
        .command::<UpdateProject>(commands.clone())?
        .command::<ArchiveProject>(commands.clone())?
        .command::<UnarchiveProject>(commands.clone())?
        .command::<DeleteProject>(commands.clone())?
        .command::<AddTask>(commands.clone())?
        .command::<RenameTask>(commands.clone())?
        .command::<UpdateTask>(commands.clone())?
        .command::<CompleteTask>(commands.clone())?
        .command::<IncompleteTask>(commands)?
        .event(CreateStarterProject {
            unit_of_work: ports.unit_of_work.clone(),
            clock: ports.clock.clone(),
        });
    Ok(())
}
