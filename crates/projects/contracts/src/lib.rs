//! The projects context's published language: the events other contexts may hear about
//! projects and tasks, and the ids they carry. Another context may depend on this crate and on
//! nothing else of projects; this crate depends on nothing of the workspace but the shared
//! kernel's domain (ADR 0016). The `Project` aggregate records these very events.

mod events;
mod project_id;
mod task_number;
mod task_priority;

pub use events::{
    ProjectArchived, ProjectCreated, ProjectDeleted, ProjectUnarchived, ProjectUpdated, TaskAdded,
    TaskChange, TaskCompleted, TaskRenamed, TaskReopened, TaskUpdated,
};
pub use project_id::ProjectId;
pub use task_number::TaskNumber;
pub use task_priority::TaskPriority;
