use accounts_domain::User;
use async_trait::async_trait;
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

/// Loads and saves `User` aggregates inside a Unit of Work. Saving hands the aggregate's
/// recorded events to the Unit of Work, which publishes them after the commit.
#[async_trait]
pub trait UserRepository: Send + Sync {
    async fn get(&self, id: UserId) -> Result<Option<User>, InfrastructureError>;
    async fn add(&self, user: &mut User) -> Result<(), SaveUserError>;
    async fn update(&self, user: &mut User) -> Result<(), SaveUserError>;
}

#[derive(Debug, thiserror::Error)]
pub enum SaveUserError {
    /// Another user already has this address (compared case-insensitively). The database's
    /// unique index decides, so two racing registrations cannot both win.
    #[error("the email address is already taken")]
    EmailTaken,
    #[error(transparent)]
    Infrastructure(#[from] InfrastructureError),
}
