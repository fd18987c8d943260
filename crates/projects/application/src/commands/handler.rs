use std::sync::Arc;

use projects_domain::{Project, ProjectError, ProjectId};
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
        let unit_of_work = self.unit_of_work.begin().await?;
        let mut project = unit_of_work
            .projects()
            .get(owner, id)
            .await?
            .ok_or(ProjectCommandError::ProjectNotFound)?;
        let outcome = change(&mut project)?;
        unit_of_work.projects().update(&mut project).await?;
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
