use accounts_contracts::SessionId;
use accounts_domain::{RefreshTokenHash, Session};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

/// Loads and saves `Session` aggregates inside a Unit of Work.
///
/// What it loads stays locked until the Unit of Work ends (`SELECT … FOR UPDATE` on
/// PostgreSQL; SQLite's writers take turns anyway), so that two refreshes with the same token
/// run one after the other: the second one sees the token already exchanged (ADR 0019).
#[async_trait]
pub trait SessionRepository: Send + Sync {
    async fn get(&self, id: SessionId) -> Result<Option<Session>, InfrastructureError>;

    /// The session any refresh token it was ever given belongs to, the current one or one
    /// exchanged since.
    async fn find_by_refresh_token(
        &self,
        token: &RefreshTokenHash,
    ) -> Result<Option<Session>, InfrastructureError>;

    /// `user`'s sessions that are still going at `now`.
    async fn active_of_user(
        &self,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Session>, InfrastructureError>;

    async fn add(&self, session: &mut Session) -> Result<(), InfrastructureError>;

    async fn update(&self, session: &mut Session) -> Result<(), InfrastructureError>;
}
