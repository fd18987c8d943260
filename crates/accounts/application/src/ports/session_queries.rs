use accounts_contracts::SessionId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

/// A session as its user sees it in the list of their sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    pub id: SessionId,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: Option<String>,
}

/// The read side of sessions.
#[async_trait]
pub trait SessionQueries: Send + Sync {
    /// `user`'s sessions still going at `now`, the newest first.
    async fn active_sessions(
        &self,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionView>, InfrastructureError>;

    /// Whether `session` is `user`'s and still going at `now`: what every request with an
    /// access token of that session asks (or the authenticator remembers).
    async fn is_active(
        &self,
        user: UserId,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> Result<bool, InfrastructureError>;
}
