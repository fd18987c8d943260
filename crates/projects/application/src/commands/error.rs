use projects_domain::{ProjectError, TaskNumber};
use shared_kernel_application::{BusError, InfrastructureError, InvalidInput, PreconditionFailed};

/// How a projects command can fail. Rule violations keep the domain's own error, so the
/// edge can give each a stable code.
#[derive(Debug, thiserror::Error)]
pub enum ProjectCommandError {
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    /// Unknown, another user's, or deleted: all the same to the caller.
    #[error("the project does not exist")]
    ProjectNotFound,
    #[error("the project has no task {0}")]
    TaskNotFound(TaskNumber),
    /// The write named tags (`If-Match`) and the project's or task's current one is not
    /// among them: it changed since the client read it. Nothing was changed.
    #[error(transparent)]
    PreconditionFailed(#[from] PreconditionFailed),
    #[error(transparent)]
    Rule(ProjectError),
    #[error("a projects command failed")]
    Infrastructure(#[from] InfrastructureError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl From<ProjectError> for ProjectCommandError {
    fn from(error: ProjectError) -> Self {
        match error {
            ProjectError::TaskNotFound(number) => Self::TaskNotFound(number),
            // A deleted project is gone from every command, as from every read.
            ProjectError::Deleted => Self::ProjectNotFound,
            rule => Self::Rule(rule),
        }
    }
}
