use chrono::{DateTime, Utc};
use shared_kernel_domain::{DomainEvent, EmailAddress, UserId};

/// A user has registered. The projects context reacts by creating the user's starter
/// project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAccountCreated {
    pub user_id: UserId,
    pub email: EmailAddress,
    pub occurred_at: DateTime<Utc>,
}

impl DomainEvent for UserAccountCreated {
    fn event_type(&self) -> &'static str {
        "accounts.UserAccountCreated"
    }

    fn occurred_at(&self) -> DateTime<Utc> {
        self.occurred_at
    }
}
