use async_trait::async_trait;
use projects_domain::{ProjectId, TaskNumber};
use shared_kernel_application::{InfrastructureError, Page, PageSize};
use shared_kernel_domain::UserId;

use crate::{ProjectStatus, ProjectView, TaskCursor, TaskQuery, TaskView};

/// The read side of the projects context: straight from the tables, scoped to the caller.
/// Another user's project, and a deleted one, read exactly like one that does not exist.
#[async_trait]
pub trait ProjectQueries: Send + Sync {
    /// `ListProjects`: the owner's projects in creation order, after `after`.
    async fn list_projects(
        &self,
        owner: UserId,
        status: Option<ProjectStatus>,
        size: PageSize,
        after: Option<ProjectId>,
    ) -> Result<Page<ProjectView>, InfrastructureError>;

    /// `GetProject`.
    async fn get_project(
        &self,
        owner: UserId,
        id: ProjectId,
    ) -> Result<Option<ProjectView>, InfrastructureError>;

    /// `ListTasks`: the project's tasks that `query` filters, in its order, after `after`;
    /// `None` when the project is not the owner's to see.
    async fn list_tasks(
        &self,
        owner: UserId,
        project: ProjectId,
        query: &TaskQuery,
        size: PageSize,
        after: Option<&TaskCursor>,
    ) -> Result<Option<Page<TaskView>>, InfrastructureError>;

    /// `ListAllTasks`: the tasks that `query` filters across the owner's projects that are
    /// neither archived nor deleted, in its order, after `after`.
    async fn list_all_tasks(
        &self,
        owner: UserId,
        query: &TaskQuery,
        size: PageSize,
        after: Option<&TaskCursor>,
    ) -> Result<Page<TaskView>, InfrastructureError>;

    /// `GetTask`.
    async fn get_task(
        &self,
        owner: UserId,
        project: ProjectId,
        number: TaskNumber,
    ) -> Result<Option<TaskView>, InfrastructureError>;
}
