use std::sync::Arc;

use chrono::{DateTime, Utc};

use projects_domain::{Project, ProjectError, ProjectId, Task, TaskNumber};
use shared_kernel_application::idempotency::KeyedAnswer;
use shared_kernel_application::{EntityTag, Precondition};
use shared_kernel_domain::{AggregateRoot, Clock, UserId};

use super::ProjectCommandError;
use crate::ports::ProjectsUnitOfWorkFactory;
use crate::{ProjectView, TaskView};

/// Handles every projects command (one `CommandHandler` implementation per command).
#[derive(Clone)]
pub struct ProjectCommands {
    pub unit_of_work: Arc<ProjectsUnitOfWorkFactory>,
    pub clock: Arc<dyn Clock>,
}

impl ProjectCommands {
    /// The shape of every command on an existing project: open a Unit of Work, load the
    /// caller's project (locking it), check `precondition` against the project's tag, let the
    /// aggregate apply `change`, save and commit. A refused change commits nothing.
    pub(crate) async fn change_project<T>(
        &self,
        owner: UserId,
        id: ProjectId,
        precondition: &Precondition,
        change: impl FnOnce(&mut Project) -> Result<T, ProjectError> + Send,
    ) -> Result<T, ProjectCommandError> {
        self.change(owner, id, None, precondition, change, None)
            .await
    }

    /// `change_project` for a keyed request: the answer `outcome` reads as commits with the
    /// change, under the request's idempotency key. (Its commands add to a project and take
    /// no `If-Match`: the project's task list has no tag.)
    pub(crate) async fn change_project_answering<T>(
        &self,
        owner: UserId,
        id: ProjectId,
        change: impl FnOnce(&mut Project) -> Result<T, ProjectError> + Send,
        keyed_answer: Option<KeyedAnswer<T>>,
    ) -> Result<T, ProjectCommandError> {
        self.change(
            owner,
            id,
            None,
            &Precondition::Unconditional,
            change,
            keyed_answer,
        )
        .await
    }

    /// `change_project` for a command on task `number`: the project loads with that task,
    /// `precondition` is checked against the task's tag, and the answer is the task as the
    /// change left it, read at `now`.
    pub(crate) async fn change_task(
        &self,
        owner: UserId,
        id: ProjectId,
        number: TaskNumber,
        precondition: &Precondition,
        now: DateTime<Utc>,
        change: impl for<'p> FnOnce(&'p mut Project) -> Result<&'p Task, ProjectError> + Send,
    ) -> Result<TaskView, ProjectCommandError> {
        let change =
            move |project: &mut Project| change(project).map(|task| TaskView::of(id, task, now));
        self.change(owner, id, Some(number), precondition, change, None)
            .await
    }

    async fn change<T>(
        &self,
        owner: UserId,
        id: ProjectId,
        task: Option<TaskNumber>,
        precondition: &Precondition,
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
        // Here, on the copy this Unit of Work has locked and before any change: a concurrent
        // command on the project has either committed already, and its change is in the tag,
        // or waits for this one to end (ADR 0007). So of two writers that send one tag,
        // exactly one goes ahead.
        let now = self.clock.now();
        precondition.check(|| current_tag(&project, task, now))?;
        let outcome = change(&mut project)?;
        // Every change records an event: none recorded, nothing changed, and nothing is
        // written (an empty patch, a rename to the same name).
        if !project.events().is_empty() {
            projects.update(&mut project).await?;
        }
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

/// The tag of what a command writes: the project, or its task `number`, which must exist
/// (a missing task is a not-found, whatever the precondition).
fn current_tag(
    project: &Project,
    task: Option<TaskNumber>,
    now: DateTime<Utc>,
) -> Result<EntityTag, ProjectCommandError> {
    match task {
        None => Ok(ProjectView::from(project).entity_tag()),
        Some(number) => project
            .task(number)
            .map(|task| TaskView::of(project.id(), task, now).entity_tag())
            .ok_or(ProjectCommandError::TaskNotFound(number)),
    }
}
