use async_trait::async_trait;
use projects_domain::{Project, ProjectId, TaskNumber};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

/// Loads and saves `Project` aggregates inside a Unit of Work.
///
/// A project loads with its counters and only the task its command names, never the whole
/// list: the aggregate's rules need only the counters (ADR 0012).
#[async_trait]
pub trait ProjectRepository: Send + Sync {
    /// The project `id`, without its tasks, if `owner` owns it and it is not deleted. It is
    /// locked for the rest of the Unit of Work, so that concurrent commands on one project run
    /// one after the other.
    async fn get(
        &self,
        owner: UserId,
        id: ProjectId,
    ) -> Result<Option<Project>, InfrastructureError>;

    /// As `get`, with task `number` loaded if the project has it.
    async fn get_with_task(
        &self,
        owner: UserId,
        id: ProjectId,
        number: TaskNumber,
    ) -> Result<Option<Project>, InfrastructureError>;

    /// Saves a new project with the tasks it holds.
    async fn add(&self, project: &mut Project) -> Result<(), InfrastructureError>;

    /// Saves the changes made since `get`: the project's state and counters, and the tasks
    /// it holds that were added or changed. Fails if the project changed in between, which
    /// the lock taken by `get` rules out.
    async fn update(&self, project: &mut Project) -> Result<(), InfrastructureError>;
}
