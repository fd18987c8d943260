//! What the projects context shows: flat views (listed a `Page` at a time).

use chrono::{DateTime, Utc};
use projects_domain::{Project, ProjectId, Task};

/// A project as clients see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectView {
    pub id: ProjectId,
    pub name: String,
    pub max_incomplete_tasks: Option<u32>,
    pub task_count: u32,
    pub incomplete_task_count: u32,
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A task as clients see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskView {
    pub number: u32,
    pub name: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&Project> for ProjectView {
    fn from(project: &Project) -> Self {
        Self {
            id: project.id(),
            name: project.name().to_string(),
            max_incomplete_tasks: project.incomplete_task_limit().map(|l| l.get()),
            task_count: project.task_count(),
            incomplete_task_count: project.incomplete_task_count(),
            archived_at: project.archived_at(),
            created_at: project.created_at(),
        }
    }
}

impl From<&Task> for TaskView {
    fn from(task: &Task) -> Self {
        Self {
            number: task.number().get(),
            name: task.name().to_string(),
            completed_at: task.completed_at(),
            created_at: task.created_at(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectStatus {
    Active,
    Archived,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    Completed,
    Incomplete,
}
