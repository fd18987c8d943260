use activity_domain::TrackedProject;
use async_trait::async_trait;
use projects_contracts::{ProjectId, TaskNumber};
use shared_kernel_application::InfrastructureError;

/// What the activity context knows of each project, loaded and saved inside a Unit of Work.
#[async_trait]
pub trait TrackedProjectRepository: Send + Sync {
    /// The project `id` if the context has heard of its creation, with task `task` if the
    /// context has heard of it.
    async fn get(
        &self,
        id: ProjectId,
        task: Option<TaskNumber>,
    ) -> Result<Option<TrackedProject>, InfrastructureError>;

    /// Saves a project heard of for the first time.
    async fn add(&self, project: &TrackedProject) -> Result<(), InfrastructureError>;

    /// Saves what `project` learned since `get`: its own record, and the task it holds.
    async fn update(&self, project: &TrackedProject) -> Result<(), InfrastructureError>;
}
