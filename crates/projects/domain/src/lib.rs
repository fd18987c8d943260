//! The projects context's domain: projects, the tasks in them, and every rule about both.
//! The `Project` aggregate is the consistency boundary: a task is only ever changed through
//! its project, which is what lets the project keep its numbering and its limits.

mod errors;
mod events;
mod names;
mod project;
mod project_id;
mod task;

pub use errors::ProjectError;
pub use events::{
    ProjectArchived, ProjectCreated, ProjectDeleted, ProjectUnarchived, TaskAdded, TaskCompleted,
    TaskReopened,
};
pub use names::{NameError, ProjectName, TaskName};
pub use project::{IncompleteTaskLimit, IncompleteTaskLimitError, Project, ProjectSnapshot};
pub use project_id::ProjectId;
pub use task::{Task, TaskNumber};
