use std::sync::Arc;

use projects_domain::{Project, ProjectError, ProjectId, TaskNumber};
use shared_kernel_application::idempotency::KeyedAnswer;
use shared_kernel_domain::{Clock, UserId};

use super::ProjectCommandError;
use crate::ProjectView;
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
        self.change(owner, id, None, change, None).await
    }

    /// `change_project` for a keyed request: the answer `outcome` reads as commits with the
    /// change, under the request's idempotency key.
    pub(crate) async fn change_project_answering<T>(
        &self,
        owner: UserId,
        id: ProjectId,
        change: impl FnOnce(&mut Project) -> Result<T, ProjectError> + Send,
        keyed_answer: Option<KeyedAnswer<T>>,
    ) -> Result<T, ProjectCommandError> {
        self.change(owner, id, None, change, keyed_answer).await
    }

    /// `change_project` for a command on task `number`: the project loads with that task.
    pub(crate) async fn change_task<T>(
        &self,
        owner: UserId,
        id: ProjectId,
        number: TaskNumber,
        change: impl FnOnce(&mut Project) -> Result<T, ProjectError> + Send,
    ) -> Result<T, ProjectCommandError> {
        self.change(owner, id, Some(number), change, None).await
    }

    async fn change<T>(
        &self,
        owner: UserId,
        id: ProjectId,
        task: Option<TaskNumber>,
        change: impl FnOnce(&mut Project) -> Result<T, ProjectError> + Send,
        keyed_answer: Option<KeyedAnswer<T>>,
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
        if let Some(keyed_answer) = keyed_answer {
            keyed_answer
                .record(&outcome, unit_of_work.idempotent_answers())
                .await?;
        }
        unit_of_work.commit().await?;
        Ok(outcome)
    }

    /// Adds a new project and commits, with the answer its view reads as when the request was
    /// keyed.
    pub(crate) async fn add_project(
        &self,
        mut project: Project,
        keyed_answer: Option<KeyedAnswer<ProjectView>>,
    ) -> Result<ProjectView, ProjectCommandError> {
        let unit_of_work = self.unit_of_work.begin().await?;
        unit_of_work.projects().add(&mut project).await?;
        let view = ProjectView::from(&project);
        if let Some(keyed_answer) = keyed_answer {
            keyed_answer
                .record(&view, unit_of_work.idempotent_answers())
                .await?;
        }
        unit_of_work.commit().await?;
        Ok(view)
    }
}
