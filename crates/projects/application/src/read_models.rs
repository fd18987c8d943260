//! What the projects context shows: flat views (listed a `Page` at a time).

use chrono::{DateTime, Utc};
use projects_domain::{Project, ProjectId, Task, TaskDescription, TaskPriority};

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

/// A task as clients see it, at a moment: `overdue` is read from the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskView {
    pub project_id: ProjectId,
    pub number: u32,
    pub name: String,
    pub description: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub priority: TaskPriority,
    /// Lower-case, sorted.
    pub labels: Vec<String>,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incomplete and due before the moment the view was taken.
    pub overdue: bool,
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

impl TaskView {
    /// Task `task` of project `project_id`, as it reads at `now`.
    pub fn of(project_id: ProjectId, task: &Task, now: DateTime<Utc>) -> Self {
        Self {
            project_id,
            number: task.number().get(),
            name: task.name().to_string(),
            description: task.description().map(TaskDescription::to_string),
            due_at: task.due_at().map(|due| due.get()),
            priority: task.priority(),
            labels: task.labels().to_strings(),
            completed_at: task.completed_at(),
            created_at: task.created_at(),
            updated_at: task.updated_at(),
            overdue: task.is_overdue(now),
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
