use async_trait::async_trait;
use projects_domain::{IncompleteTaskLimit, Project, ProjectId, ProjectName};
use shared_kernel_application::idempotency::KeyedAnswer;
use shared_kernel_application::{Command, CommandHandler, InvalidInput, Precondition};
use shared_kernel_domain::UserId;

use super::{ProjectCommandError, ProjectCommands};
use crate::ProjectView;

/// Creates a project for its owner.
#[derive(Debug)]
pub struct CreateProject {
    pub owner: UserId,
    pub name: String,
    pub max_incomplete_tasks: Option<i64>,
    /// When the request came with an idempotency key: the answer to commit with the project.
    pub keyed_answer: Option<KeyedAnswer<ProjectView>>,
}

/// Renames a project and sets or lifts its maximum of incomplete tasks.
#[derive(Debug)]
pub struct UpdateProject {
    pub owner: UserId,
    pub project_id: ProjectId,
    pub name: String,
    pub max_incomplete_tasks: Option<i64>,
    /// What the project's current tag must be (`If-Match`).
    pub precondition: Precondition,
}

#[derive(Debug)]
pub struct ArchiveProject {
    pub owner: UserId,
    pub project_id: ProjectId,
    /// What the project's current tag must be (`If-Match`).
    pub precondition: Precondition,
}

#[derive(Debug)]
pub struct UnarchiveProject {
    pub owner: UserId,
    pub project_id: ProjectId,
    /// What the project's current tag must be (`If-Match`).
    pub precondition: Precondition,
}

/// Soft-deletes an archived project.
#[derive(Debug)]
pub struct DeleteProject {
    pub owner: UserId,
    pub project_id: ProjectId,
    /// What the project's current tag must be (`If-Match`).
    pub precondition: Precondition,
}

macro_rules! project_command {
    ($($command:ty => $output:ty),* $(,)?) => {
        $(impl Command for $command {
            type Output = $output;
            type Error = ProjectCommandError;
        })*
    };
}

project_command!(
    CreateProject => ProjectView,
    UpdateProject => ProjectView,
    ArchiveProject => ProjectView,
    UnarchiveProject => ProjectView,
    DeleteProject => (),
);

/// Validates a project's name and maximum together, reporting both when both are wrong.
fn project_fields(
    name: &str,
    max_incomplete_tasks: Option<i64>,
) -> Result<(ProjectName, Option<IncompleteTaskLimit>), InvalidInput> {
    InvalidInput::check2(
        ("name", ProjectName::parse(name)),
        (
            "maxIncompleteTasks",
            max_incomplete_tasks
                .map(IncompleteTaskLimit::new)
                .transpose(),
        ),
    )
}

#[async_trait]
impl CommandHandler<CreateProject> for ProjectCommands {
    async fn handle(&self, command: CreateProject) -> Result<ProjectView, ProjectCommandError> {
        let (name, limit) = project_fields(&command.name, command.max_incomplete_tasks)?;
        let project = Project::create(
            ProjectId::new(),
            command.owner,
            name,
            limit,
            self.clock.now(),
        );
        self.add_project(project, command.keyed_answer).await
    }
}

#[async_trait]
impl CommandHandler<UpdateProject> for ProjectCommands {
    async fn handle(&self, command: UpdateProject) -> Result<ProjectView, ProjectCommandError> {
        let (name, limit) = project_fields(&command.name, command.max_incomplete_tasks)?;
        let now = self.clock.now();
        self.change_project(
            command.owner,
            command.project_id,
            &command.precondition,
            |project| {
                project.update(name, limit, now)?;
                Ok(ProjectView::from(&*project))
            },
        )
        .await
    }
}

#[async_trait]
impl CommandHandler<ArchiveProject> for ProjectCommands {
    async fn handle(&self, command: ArchiveProject) -> Result<ProjectView, ProjectCommandError> {
        let now = self.clock.now();
        self.change_project(
            command.owner,
            command.project_id,
            &command.precondition,
            |project| {
                project.archive(now)?;
                Ok(ProjectView::from(&*project))
            },
        )
        .await
    }
}

#[async_trait]
impl CommandHandler<UnarchiveProject> for ProjectCommands {
    async fn handle(&self, command: UnarchiveProject) -> Result<ProjectView, ProjectCommandError> {
        let now = self.clock.now();
        self.change_project(
            command.owner,
            command.project_id,
            &command.precondition,
            |project| {
                project.unarchive(now)?;
                Ok(ProjectView::from(&*project))
            },
        )
        .await
    }
}

#[async_trait]
impl CommandHandler<DeleteProject> for ProjectCommands {
    async fn handle(&self, command: DeleteProject) -> Result<(), ProjectCommandError> {
        let now = self.clock.now();
        self.change_project(
            command.owner,
            command.project_id,
            &command.precondition,
            |project| project.delete(now),
        )
        .await
    }
}
