//! The projects context's domain: projects, the tasks in them, and every rule about both.
//! The `Project` aggregate is the consistency boundary: a task is only ever changed through
//! its project, which is what lets the project keep its numbering and its limits.

//!
//! The events it records and the ids they carry are the context's published language, in
//! `projects-contracts`; they are re-exported here for the domain's own code.

mod details;
mod errors;
mod names;
mod project;
mod task;

pub use details::{
    DescriptionError, DueAt, Label, LabelError, Labels, TaskDescription, TaskDetails, TaskPatch,
};
pub use errors::ProjectError;
pub use names::{NameError, ProjectName, TaskName};
pub use project::{IncompleteTaskLimit, IncompleteTaskLimitError, Project, ProjectSnapshot};
pub use projects_contracts::{
    ProjectArchived, ProjectCreated, ProjectDeleted, ProjectId, ProjectUnarchived, ProjectUpdated,
    TaskAdded, TaskChange, TaskCompleted, TaskNumber, TaskPriority, TaskRenamed, TaskReopened,
    TaskUpdated,
};
pub use task::{Task, TaskSnapshot, is_overdue};
