use async_trait::async_trait;
use projects_domain::{ProjectId, TaskName, TaskNumber};
use shared_kernel_application::idempotency::KeyedAnswer;
use shared_kernel_application::{Command, CommandHandler, InvalidInput, Precondition};
use shared_kernel_domain::UserId;

use super::{ProjectCommandError, ProjectCommands};
use crate::TaskView;

/// Adds a task, numbered after the project's last one.
#[derive(Debug)]
pub struct AddTask {
    pub owner: UserId,
    pub project_id: ProjectId,
    pub name: String,
    /// When the request came with an idempotency key: the answer to commit with the task.
    pub keyed_answer: Option<KeyedAnswer<TaskView>>,
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

#[async_trait]
impl CommandHandler<AddTask> for ProjectCommands {
    async fn handle(&self, command: AddTask) -> Result<TaskView, ProjectCommandError> {
        let name = task_name(&command.name)?;
        let now = self.clock.now();
        // Unconditional (`change_project_answering`): a new task has no tag yet, and its
        // project's tag is not what the client writes to (the task list is).
        self.change_project_answering(
            command.owner,
            command.project_id,
            |project| project.add_task(name, now).map(TaskView::from),
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
            |project| {
                project
                    .rename_task(command.number, name, now)
                    .map(TaskView::from)
            },
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
            |project| {
                project
                    .complete_task(command.number, now)
                    .map(TaskView::from)
            },
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
            |project| {
                project
                    .incomplete_task(command.number, now)
                    .map(TaskView::from)
            },
        )
        .await
    }
}
