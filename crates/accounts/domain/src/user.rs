use accounts_contracts::UserAccountCreated;
use chrono::{DateTime, Utc};
use shared_kernel_domain::{AggregateRoot, DomainEvents, EmailAddress, UserId};

use crate::{PasswordHash, UserEmailAddressChanged};

/// A registered user: the accounts context's aggregate root.
#[derive(Debug, Clone)]
pub struct User {
    id: UserId,
    email: EmailAddress,
    password_hash: PasswordHash,
    created_at: DateTime<Utc>,
    events: DomainEvents,
}

impl User {
    /// A new user, who has just registered: records `UserAccountCreated`.
    pub fn register(
        id: UserId,
        email: EmailAddress,
        password_hash: PasswordHash,
        now: DateTime<Utc>,
    ) -> Self {
        let mut user = Self::restore(id, email, password_hash, now);
        user.events.record(UserAccountCreated {
            user_id: id,
            email: user.email.clone(),
            occurred_at: now,
        });
        user
    }

    /// A user as stored: rebuilt by a repository, with nothing to announce.
    pub fn restore(
        id: UserId,
        email: EmailAddress,
        password_hash: PasswordHash,
        created_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            email,
            password_hash,
            created_at,
            events: DomainEvents::default(),
        }
    }

    /// Changes the address the user logs in with. Returns whether anything changed: the same
    /// address (in any case) is a no-op that records nothing.
    pub fn change_email(&mut self, email: EmailAddress, now: DateTime<Utc>) -> bool {
        if email == self.email && email.as_str() == self.email.as_str() {
            return false;
        }
        let previous = std::mem::replace(&mut self.email, email);
        if previous == self.email {
            // Only the letter case changed: keep the user's spelling, but it is the same
            // address, so nobody else needs to hear about it.
            return true;
        }
        self.events.record(UserEmailAddressChanged {
            user_id: self.id,
            previous,
            current: self.email.clone(),
            occurred_at: now,
        });
        true
    }

    /// Replaces the password the user logs in with. Ending the user's other sessions is the
    /// use case's part: a session is an aggregate of its own.
    pub fn change_password(&mut self, password_hash: PasswordHash) {
        self.password_hash = password_hash;
    }

    pub fn id(&self) -> UserId {
        self.id
    }

    pub fn email(&self) -> &EmailAddress {
        &self.email
    }

    pub fn password_hash(&self) -> &PasswordHash {
        &self.password_hash
    }

    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

impl AggregateRoot for User {
    fn events(&self) -> &DomainEvents {
        &self.events
    }

    fn events_mut(&mut self) -> &mut DomainEvents {
        &mut self.events
    }
}

#[cfg(test)]
mod tests {
    use std::any::Any;

    use chrono::Duration;

    use super::*;

    fn email(value: &str) -> EmailAddress {
        EmailAddress::parse(value).unwrap()
    }

    fn registered() -> User {
        User::register(
            UserId::new(),
            email("ada@example.com"),
            PasswordHash::new("$2b$04$hash"),
            DateTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn registering_records_user_account_created() {
        let mut user = registered();

        let events = user.take_events();

        assert_eq!(events.len(), 1);
        let created = (events[0].as_ref() as &dyn Any)
            .downcast_ref::<UserAccountCreated>()
            .expect("a UserAccountCreated event");
        assert_eq!(created.user_id, user.id());
        assert_eq!(created.email, email("ada@example.com"));
        assert_eq!(created.occurred_at, DateTime::UNIX_EPOCH);
        assert!(user.take_events().is_empty());
    }

    #[test]
    fn a_restored_user_records_nothing() {
        let user = User::restore(
            UserId::new(),
            email("ada@example.com"),
            PasswordHash::new("h"),
            DateTime::UNIX_EPOCH,
        );
        assert!(user.events().is_empty());
    }

    #[test]
    fn changing_the_email_records_the_change() {
        let mut user = registered();
        user.take_events();
        let later = DateTime::UNIX_EPOCH + Duration::days(1);

        assert!(user.change_email(email("grace@example.com"), later));

        assert_eq!(user.email().as_str(), "grace@example.com");
        let events = user.take_events();
        let changed = (events[0].as_ref() as &dyn Any)
            .downcast_ref::<UserEmailAddressChanged>()
            .expect("a UserEmailAddressChanged event");
        assert_eq!(changed.previous, email("ada@example.com"));
        assert_eq!(changed.current, email("grace@example.com"));
        assert_eq!(changed.occurred_at, later);
    }

    #[test]
    fn the_same_email_is_a_no_op() {
        let mut user = registered();
        user.take_events();

        assert!(!user.change_email(email("ada@example.com"), DateTime::UNIX_EPOCH));

        assert!(user.events().is_empty());
    }

    #[test]
    fn a_change_of_letter_case_keeps_the_new_spelling_without_an_event() {
        let mut user = registered();
        user.take_events();

        assert!(user.change_email(email("Ada@Example.com"), DateTime::UNIX_EPOCH));

        assert_eq!(user.email().as_str(), "Ada@Example.com");
        assert!(user.events().is_empty());
    }
}
