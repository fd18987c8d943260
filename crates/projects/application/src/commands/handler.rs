use std::sync::Arc;

use projects_domain::{Project, ProjectError, ProjectId, TaskNumber};
use shared_kernel_domain::{Clock, UserId};

use super::ProjectCommandError;
use crate::ports::ProjectsUnitOfWorkFactory;

/// Handles every projects command (one `CommandHandler` implementation per command).
#[derive(Clone)]
pub struct ProjectCommands {
    pub unit_of_work: Arc<ProjectsUnitOfWorkFactory>,
    pub clock: Arc<dyn Clock>,
}

impl ProjectCommands {
    /// The shape of every command on an existing project: open a Unit of Work, load the
    /// caller's project (locking it), let the aggregate apply `change`, save and commit. A
    /// refused change commits nothing.
    pub(crate) async fn change_project<T>(
        &self,
        owner: UserId,
        id: ProjectId,
        change: impl FnOnce(&mut Project) -> Result<T, ProjectError> + Send,
    ) -> Result<T, ProjectCommandError> {
        self.change(owner, id, None, change).await
    }

    /// `change_project` for a command on task `number`: the project loads with that task.
    pub(crate) async fn change_task<T>(
        &self,
        owner: UserId,
        id: ProjectId,
        number: TaskNumber,
        change: impl FnOnce(&mut Project) -> Result<T, ProjectError> + Send,
    ) -> Result<T, ProjectCommandError> {
        self.change(owner, id, Some(number), change).await
    }

    async fn change<T>(
        &self,
        owner: UserId,
        id: ProjectId,
        task: Option<TaskNumber>,
        change: impl FnOnce(&mut Project) -> Result<T, ProjectError> + Send,
    ) -> Result<T, ProjectCommandError> {
        let unit_of_work = self.unit_of_work.begin().await?;
        let projects = unit_of_work.projects();
        let loaded = match task {
            None => projects.get(owner, id).await?,
            Some(number) => projects.get_with_task(owner, id, number).await?,
        };
        let mut project = loaded.ok_or(ProjectCommandError::ProjectNotFound)?;
        let outcome = change(&mut project)?;
        projects.update(&mut project).await?;
        unit_of_work.commit().await?;
        Ok(outcome)
    }

    /// Adds a new project and commits.
    pub(crate) async fn add_project(
        &self,
        mut project: Project,
    ) -> Result<Project, ProjectCommandError> {
        let unit_of_work = self.unit_of_work.begin().await?;
        unit_of_work.projects().add(&mut project).await?;
        unit_of_work.commit().await?;
        Ok(project)
    }
}
