use async_trait::async_trait;
use projects_domain::{Project, ProjectId};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

/// Loads and saves `Project` aggregates, whole, inside a Unit of Work.
#[async_trait]
pub trait ProjectRepository: Send + Sync {
    /// The project `id` if `owner` owns it and it is not deleted, locked for the rest of the
    /// Unit of Work so that concurrent commands on one project run one after the other.
    async fn get(
        &self,
        owner: UserId,
        id: ProjectId,
    ) -> Result<Option<Project>, InfrastructureError>;

    async fn add(&self, project: &mut Project) -> Result<(), InfrastructureError>;

    /// Saves the changes made since `get`. Fails if the project changed in between, which
    /// the lock taken by `get` rules out.
    async fn update(&self, project: &mut Project) -> Result<(), InfrastructureError>;
}
