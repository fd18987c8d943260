use accounts_domain::{PasswordHash, User};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::{EmailAddress, UserId};

/// A user as clients see it: a flat read model, read straight from the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub created_at: DateTime<Utc>,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        Self {
            id: user.id(),
            email: user.email().to_string(),
            created_at: user.created_at(),
        }
    }
}

/// What logging in needs to know about a user, and nothing more.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    pub id: UserId,
    pub password_hash: PasswordHash,
}

/// What checking a logged-in user's password needs: the address failed attempts count under,
/// and the hash.
#[derive(Debug, Clone)]
pub struct StoredPassword {
    pub email: String,
    pub password_hash: PasswordHash,
}

/// The read side of the accounts context: no aggregates, no Unit of Work.
#[async_trait]
pub trait UserQueries: Send + Sync {
    /// The `GetUser` query.
    async fn get_user(&self, id: UserId) -> Result<Option<UserView>, InfrastructureError>;

    async fn find_credentials(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<UserCredentials>, InfrastructureError>;

    /// `id`'s address and password hash, to check a password a logged-in user types again.
    async fn stored_password(
        &self,
        id: UserId,
    ) -> Result<Option<StoredPassword>, InfrastructureError>;

    async fn user_exists(&self, id: UserId) -> Result<bool, InfrastructureError>;
}
