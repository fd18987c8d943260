//! The stored shape of the accounts context's events (docs/events.md lists them all): the
//! ones it publishes (from `accounts-contracts`) and its own.

use std::error::Error;

use accounts_contracts::{
    SessionEndReason, SessionEnded, SessionId, SessionStarted, UserAccountCreated,
};
use accounts_domain::UserEmailAddressChanged;
use chrono::{DateTime, Utc};
use platform_outbox::EventSchema;
use serde::{Deserialize, Serialize};
use shared_kernel_application::EventCodecs;
use shared_kernel_domain::{EmailAddress, UserId};
use uuid::Uuid;

/// Registers the schemas of the accounts context's events.
pub fn register_event_schemas(codecs: &mut EventCodecs) {
    codecs
        .register(UserAccountCreatedV1::codec())
        .register(UserEmailAddressChangedV1::codec())
        .register(SessionStartedV1::codec())
        .register(SessionEndedV1::codec());
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

/// `accounts.UserEmailAddressChanged`, version 1:
/// `{"userId": "…", "previous": "…", "current": "…"}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserEmailAddressChangedV1 {
    pub user_id: Uuid,
    pub previous: String,
    pub current: String,
}

impl EventSchema for UserEmailAddressChangedV1 {
    type Event = UserEmailAddressChanged;
    const EVENT_TYPE: &'static str = "accounts.UserEmailAddressChanged";
    const VERSION: u32 = 1;

    fn aggregate_id(event: &UserEmailAddressChanged) -> Uuid {
        event.user_id.as_uuid()
    }

    fn from_event(event: &UserEmailAddressChanged) -> Self {
        Self {
            user_id: event.user_id.as_uuid(),
            previous: event.previous.as_str().to_string(),
            current: event.current.as_str().to_string(),
        }
    }

    fn into_event(
        self,
        occurred_at: DateTime<Utc>,
    ) -> Result<UserEmailAddressChanged, Box<dyn Error + Send + Sync>> {
        Ok(UserEmailAddressChanged {
            user_id: UserId::from_uuid(self.user_id),
            previous: EmailAddress::parse(&self.previous)?,
            current: EmailAddress::parse(&self.current)?,
            occurred_at,
        })
    }
}

/// `accounts.SessionStarted`, version 1: `{"sessionId": "…", "userId": "…"}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionStartedV1 {
    pub session_id: Uuid,
    pub user_id: Uuid,
}

impl EventSchema for SessionStartedV1 {
    type Event = SessionStarted;
    const EVENT_TYPE: &'static str = "accounts.SessionStarted";
    const VERSION: u32 = 1;

    fn aggregate_id(event: &SessionStarted) -> Uuid {
        event.session_id.as_uuid()
    }

    fn from_event(event: &SessionStarted) -> Self {
        Self {
            session_id: event.session_id.as_uuid(),
            user_id: event.user_id.as_uuid(),
        }
    }

    fn into_event(
        self,
        occurred_at: DateTime<Utc>,
    ) -> Result<SessionStarted, Box<dyn Error + Send + Sync>> {
        Ok(SessionStarted {
            session_id: SessionId::from_uuid(self.session_id),
            user_id: UserId::from_uuid(self.user_id),
            occurred_at,
        })
    }
}

/// `accounts.SessionEnded`, version 1:
/// `{"sessionId": "…", "userId": "…", "reason": "logout" | "revoked" | "reuse_detected" |
/// "password_changed"}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionEndedV1 {
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub reason: String,
}

impl EventSchema for SessionEndedV1 {
    type Event = SessionEnded;
    const EVENT_TYPE: &'static str = "accounts.SessionEnded";
    const VERSION: u32 = 1;

    fn aggregate_id(event: &SessionEnded) -> Uuid {
        event.session_id.as_uuid()
    }

    fn from_event(event: &SessionEnded) -> Self {
        Self {
            session_id: event.session_id.as_uuid(),
            user_id: event.user_id.as_uuid(),
            reason: event.reason.as_str().to_owned(),
        }
    }

    fn into_event(
        self,
        occurred_at: DateTime<Utc>,
    ) -> Result<SessionEnded, Box<dyn Error + Send + Sync>> {
        let reason = SessionEndReason::from_name(&self.reason)
            .ok_or_else(|| format!("unknown reason for a session's end: {:?}", self.reason))?;
        Ok(SessionEnded {
            session_id: SessionId::from_uuid(self.session_id),
            user_id: UserId::from_uuid(self.user_id),
            reason,
            occurred_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::any::Any;

    use shared_kernel_domain::DomainEvent;

    use super::*;

    fn codecs() -> EventCodecs {
        let mut codecs = EventCodecs::default();
        register_event_schemas(&mut codecs);
        codecs
    }

    #[test]
    fn a_user_account_created_reads_back_as_it_was_written() {
        let event = UserAccountCreated {
            user_id: UserId::new(),
            email: EmailAddress::parse("ada@example.com").unwrap(),
            occurred_at: DateTime::UNIX_EPOCH,
        };

        let encoded = codecs().encode(&event).unwrap();
        assert_eq!(encoded.event_type, "accounts.UserAccountCreated");
        assert_eq!(encoded.aggregate_id, event.user_id.as_uuid());
        assert_eq!(
            encoded.payload,
            format!(
                r#"{{"userId":"{}","email":"ada@example.com"}}"#,
                event.user_id.as_uuid()
            )
        );
        let decoded = codecs()
            .decode(encoded.event_type, 1, &encoded.payload, event.occurred_at)
            .unwrap();
        let decoded = (decoded.as_ref() as &dyn Any)
            .downcast_ref::<UserAccountCreated>()
            .unwrap();
        assert_eq!(decoded, &event);
    }

    #[test]
    fn an_email_change_reads_back_as_it_was_written() {
        let event = UserEmailAddressChanged {
            user_id: UserId::new(),
            previous: EmailAddress::parse("ada@example.com").unwrap(),
            current: EmailAddress::parse("Ada@Lovelace.org").unwrap(),
            occurred_at: DateTime::UNIX_EPOCH,
        };

        let encoded = codecs().encode(&event).unwrap();
        assert_eq!(encoded.event_type, event.event_type());
        assert_eq!(
            encoded.payload,
            format!(
                r#"{{"userId":"{}","previous":"ada@example.com","current":"Ada@Lovelace.org"}}"#,
                event.user_id.as_uuid()
            )
        );
        let decoded = codecs()
            .decode(encoded.event_type, 1, &encoded.payload, event.occurred_at)
            .unwrap();
        let decoded = (decoded.as_ref() as &dyn Any)
            .downcast_ref::<UserEmailAddressChanged>()
            .unwrap();
        assert_eq!(decoded, &event);
    }

    #[test]
    fn a_stored_address_that_is_no_longer_valid_is_an_error_not_a_panic() {
        let payload = r#"{"userId":"0192f0c1-0000-7000-8000-000000000000","previous":"x","current":"ada@example.com"}"#;

        let error = codecs()
            .decode(
                "accounts.UserEmailAddressChanged",
                1,
                payload,
                DateTime::UNIX_EPOCH,
            )
            .unwrap_err();

        assert!(error.to_string().contains("does not make a valid event"));
    }

    #[test]
    fn session_events_read_back_as_they_were_written() {
        let session_id = SessionId::new();
        let user_id = UserId::new();
        let started = SessionStarted {
            session_id,
            user_id,
            occurred_at: DateTime::UNIX_EPOCH,
        };
        let encoded = codecs().encode(&started).unwrap();
        assert_eq!(encoded.aggregate_id, session_id.as_uuid());
        let decoded = codecs()
            .decode(encoded.event_type, 1, &encoded.payload, started.occurred_at)
            .unwrap();
        let decoded = (decoded.as_ref() as &dyn Any).downcast_ref::<SessionStarted>();
        assert_eq!(decoded, Some(&started));

        for reason in SessionEndReason::ALL {
            let ended = SessionEnded {
                session_id,
                user_id,
                reason,
                occurred_at: DateTime::UNIX_EPOCH,
            };
            let encoded = codecs().encode(&ended).unwrap();
            assert!(
                encoded
                    .payload
                    .contains(&format!(r#""reason":"{}""#, reason.as_str()))
            );
            let decoded = codecs()
                .decode(encoded.event_type, 1, &encoded.payload, ended.occurred_at)
                .unwrap();
            let decoded = (decoded.as_ref() as &dyn Any).downcast_ref::<SessionEnded>();
            assert_eq!(decoded, Some(&ended));
        }
    }

    #[test]
    fn an_unknown_reason_for_a_session_end_is_an_error_not_a_panic() {
        let payload = format!(
            r#"{{"sessionId":"{}","userId":"{}","reason":"bored"}}"#,
            SessionId::new(),
            UserId::new()
        );

        let decoded = codecs().decode("accounts.SessionEnded", 1, &payload, DateTime::UNIX_EPOCH);

        assert!(decoded.is_err());
    }
}
