use async_trait::async_trait;
use chrono::{DateTime, Utc};
use projects_domain::{
    DueAt, Labels, ProjectId, TaskDescription, TaskDetails, TaskName, TaskNumber, TaskPatch,
    TaskPriority,
};
use shared_kernel_application::idempotency::KeyedAnswer;
use shared_kernel_application::{Command, CommandHandler, InvalidInput, Precondition};
use shared_kernel_domain::UserId;

use super::{ProjectCommandError, ProjectCommands};
use crate::TaskView;

/// Adds a task, numbered after the project's last one, with whichever details it has.
#[derive(Debug)]
pub struct AddTask {
    pub owner: UserId,
    pub project_id: ProjectId,
    pub name: String,
    pub description: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    /// `None` for the default (`TaskPriority::None`).
    pub priority: Option<TaskPriority>,
    pub labels: Vec<String>,
    /// When the request came with an idempotency key: the answer to commit with the task.
    pub keyed_answer: Option<KeyedAnswer<TaskView>>,
}

/// Changes some of a task's fields (a merge patch): `None` leaves a field as it is, and for
/// the optional ones `Some(None)` clears it.
#[derive(Debug)]
pub struct UpdateTask {
    pub owner: UserId,
    pub project_id: ProjectId,
    pub number: TaskNumber,
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub due_at: Option<Option<DateTime<Utc>>>,
    pub priority: Option<TaskPriority>,
    pub labels: Option<Vec<String>>,
    /// What the task's current tag must be (`If-Match`).
    pub precondition: Precondition,
}

#[derive(Debug)]
pub struct RenameTask {
    pub owner: UserId,
    pub project_id: ProjectId,
    pub number: TaskNumber,
    pub name: String,
    /// What the task's current tag must be (`If-Match`).
    pub precondition: Precondition,
}

#[derive(Debug)]
pub struct CompleteTask {
    pub owner: UserId,
    pub project_id: ProjectId,
    pub number: TaskNumber,
    /// What the task's current tag must be (`If-Match`).
    pub precondition: Precondition,
}

/// Marks a completed task incomplete again.
#[derive(Debug)]
pub struct IncompleteTask {
    pub owner: UserId,
    pub project_id: ProjectId,
    pub number: TaskNumber,
    /// What the task's current tag must be (`If-Match`).
    pub precondition: Precondition,
}

impl Command for AddTask {
    type Output = TaskView;
    type Error = ProjectCommandError;
}

impl Command for UpdateTask {
    type Output = TaskView;
    type Error = ProjectCommandError;
}

impl Command for RenameTask {
    type Output = TaskView;
    type Error = ProjectCommandError;
}

impl Command for CompleteTask {
    type Output = TaskView;
    type Error = ProjectCommandError;
}

impl Command for IncompleteTask {
    type Output = TaskView;
    type Error = ProjectCommandError;
}

fn task_name(name: &str) -> Result<TaskName, InvalidInput> {
    TaskName::parse(name).map_err(|error| InvalidInput::field("name", error))
}

fn description(description: &str) -> Result<TaskDescription, InvalidInput> {
    TaskDescription::parse(description).map_err(|error| InvalidInput::field("description", error))
}

fn labels(labels: &[String]) -> Result<Labels, InvalidInput> {
    Labels::parse(labels).map_err(|error| InvalidInput::field("labels", error))
}

/// The patch `command` asks for, every field checked (and every violation reported at once).
fn patch(command: &UpdateTask) -> Result<TaskPatch, InvalidInput> {
    let name = command.name.as_deref().map(task_name).transpose();
    let description = command
        .description
        .as_ref()
        .map(|given| given.as_deref().map(description).transpose())
        .transpose();
    let labels = command.labels.as_deref().map(labels).transpose();
    let (name, (description, labels)) =
        InvalidInput::both(name, InvalidInput::both(description, labels))?;
    Ok(TaskPatch {
        name,
        description,
        due_at: command.due_at.map(|given| given.map(DueAt::new)),
        priority: command.priority,
        labels,
    })
}

#[async_trait]
impl CommandHandler<AddTask> for ProjectCommands {
    async fn handle(&self, command: AddTask) -> Result<TaskView, ProjectCommandError> {
        let described = command.description.as_deref().map(description).transpose();
        let (name, (description, labels)) = InvalidInput::both(
            task_name(&command.name),
            InvalidInput::both(described, labels(&command.labels)),
        )?;
        let details = TaskDetails {
            description,
            due_at: command.due_at.map(DueAt::new),
            priority: command.priority.unwrap_or_default(),
            labels,
        };
        let now = self.clock.now();
        let project_id = command.project_id;
        // Unconditional (`change_project_answering`): a new task has no tag yet, and its
        // project's tag is not what the client writes to (the task list is).
        self.change_project_answering(
            command.owner,
            project_id,
            |project| {
                let task = project.add_task(name, details, now)?;
                Ok(TaskView::of(project_id, task, now))
            },
            command.keyed_answer,
        )
        .await
    }
}

#[async_trait]
impl CommandHandler<RenameTask> for ProjectCommands {
    async fn handle(&self, command: RenameTask) -> Result<TaskView, ProjectCommandError> {
        let name = task_name(&command.name)?;
        let now = self.clock.now();
        self.change_task(
            command.owner,
            command.project_id,
            command.number,
            &command.precondition,
            now,
            |project| project.rename_task(command.number, name, now),
        )
        .await
    }
}

#[async_trait]
impl CommandHandler<UpdateTask> for ProjectCommands {
    async fn handle(&self, command: UpdateTask) -> Result<TaskView, ProjectCommandError> {
        let patch = patch(&command)?;
        let now = self.clock.now();
        self.change_task(
            command.owner,
            command.project_id,
            command.number,
            &command.precondition,
            now,
            |project| project.update_task(command.number, patch, now),
        )
        .await
    }
}

#[async_trait]
impl CommandHandler<CompleteTask> for ProjectCommands {
    async fn handle(&self, command: CompleteTask) -> Result<TaskView, ProjectCommandError> {
        let now = self.clock.now();
        self.change_task(
            command.owner,
            command.project_id,
            command.number,
            &command.precondition,
            now,
            |project| project.complete_task(command.number, now),
        )
        .await
    }
}

#[async_trait]
impl CommandHandler<IncompleteTask> for ProjectCommands {
    async fn handle(&self, command: IncompleteTask) -> Result<TaskView, ProjectCommandError> {
        let now = self.clock.now();
        self.change_task(
            command.owner,
            command.project_id,
            command.number,
            &command.precondition,
            now,
            |project| project.incomplete_task(command.number, now),
        )
        .await
    }
}
