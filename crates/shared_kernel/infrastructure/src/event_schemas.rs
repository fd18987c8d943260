//! The stored shape of the events in the shared kernel (docs/events.md lists them all).

use std::error::Error;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared_kernel_domain::{EmailAddress, UserAccountCreated, UserId};
use uuid::Uuid;

use crate::outbox::{EventCodecs, EventSchema};

/// Registers the schemas of the shared kernel's events.
pub fn register_event_schemas(codecs: &mut EventCodecs) {
    codecs.register::<UserAccountCreatedV1>();
}

/// `accounts.UserAccountCreated`, version 1: `{"userId": "…", "email": "…"}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserAccountCreatedV1 {
    pub user_id: Uuid,
    pub email: String,
}

impl EventSchema for UserAccountCreatedV1 {
    type Event = UserAccountCreated;
    const EVENT_TYPE: &'static str = "accounts.UserAccountCreated";
    const VERSION: u32 = 1;

    fn aggregate_id(event: &UserAccountCreated) -> Uuid {
        event.user_id.as_uuid()
    }

    fn from_event(event: &UserAccountCreated) -> Self {
        Self {
            user_id: event.user_id.as_uuid(),
            email: event.email.as_str().to_string(),
        }
    }

    fn into_event(
        self,
        occurred_at: DateTime<Utc>,
    ) -> Result<UserAccountCreated, Box<dyn Error + Send + Sync>> {
        Ok(UserAccountCreated {
            user_id: UserId::from_uuid(self.user_id),
            email: EmailAddress::parse(&self.email)?,
            occurred_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_account_created_reads_back_as_it_was_written() {
        let mut codecs = EventCodecs::default();
        register_event_schemas(&mut codecs);
        let event = UserAccountCreated {
            user_id: UserId::new(),
            email: EmailAddress::parse("ada@example.com").unwrap(),
            occurred_at: DateTime::UNIX_EPOCH,
        };

        let encoded = codecs.encode(&event).unwrap();
        assert_eq!(encoded.event_type, "accounts.UserAccountCreated");
        assert_eq!(encoded.aggregate_id, event.user_id.as_uuid());
        assert_eq!(
            encoded.payload,
            format!(
                r#"{{"userId":"{}","email":"ada@example.com"}}"#,
                event.user_id.as_uuid()
            )
        );
        let decoded = codecs
            .decode(encoded.event_type, 1, &encoded.payload, event.occurred_at)
            .unwrap();
        let decoded = (decoded.as_ref() as &dyn std::any::Any)
            .downcast_ref::<UserAccountCreated>()
            .unwrap();
        assert_eq!(decoded, &event);
    }
}
