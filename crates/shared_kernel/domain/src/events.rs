//! Events that cross bounded contexts. They live in the shared kernel because they are a
//! contract: the context that raises one and the contexts that react to it both depend on
//! this definition, never on each other.

use chrono::{DateTime, Utc};

use crate::{DomainEvent, EmailAddress, UserId};

/// A user has registered. Raised by the accounts context; projects reacts by creating the
/// user's starter project.
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
