use chrono::{DateTime, Utc};
use shared_kernel_domain::{DomainEvent, EmailAddress, UserId};

/// A user changed the address they log in with. Private to the accounts context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserEmailAddressChanged {
    pub user_id: UserId,
    pub previous: EmailAddress,
    pub current: EmailAddress,
    pub occurred_at: DateTime<Utc>,
}

impl DomainEvent for UserEmailAddressChanged {
    fn event_type(&self) -> &'static str {
        "accounts.UserEmailAddressChanged"
    }

    fn occurred_at(&self) -> DateTime<Utc> {
        self.occurred_at
    }
}
