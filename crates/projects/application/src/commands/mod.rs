//! Everything a client asks the projects context to do. Each command has exactly one handler
//! on the bus; all of them are served by `ProjectCommands`, which loads the caller's project,
//! checks the command's precondition (`If-Match`), lets the aggregate apply the change, and
//! commits.

mod error;
mod handler;
mod project_commands;
mod task_commands;

pub use error::ProjectCommandError;
pub use handler::ProjectCommands;
pub use project_commands::{
    ArchiveProject, CreateProject, DeleteProject, UnarchiveProject, UpdateProject,
};
pub use task_commands::{AddTask, CompleteTask, IncompleteTask, RenameTask, UpdateTask};

#[cfg(test)]
mod keyed_answer_tests;
#[cfg(test)]
mod precondition_tests;
#[cfg(test)]
mod task_details_tests;
#[cfg(test)]
mod tests;
