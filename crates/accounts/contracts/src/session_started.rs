use chrono::{DateTime, Utc};
use shared_kernel_domain::{DomainEvent, UserId};

use crate::SessionId;

/// A user logged in: a session began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStarted {
    pub session_id: SessionId,
    pub user_id: UserId,
    pub occurred_at: DateTime<Utc>,
}

impl DomainEvent for SessionStarted {
    fn event_type(&self) -> &'static str {
        "accounts.SessionStarted"
    }

    fn occurred_at(&self) -> DateTime<Utc> {
        self.occurred_at
    }
}
