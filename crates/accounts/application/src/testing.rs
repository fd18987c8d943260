//! In-memory fakes of every accounts port, cosmicpython style: the use cases run against
//! them exactly as they run against the database, without one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use accounts_domain::{Password, PasswordHash, User};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shared_kernel_application::Inbox;
use shared_kernel_application::testing::{InMemoryInbox, StagedInbox};
use shared_kernel_application::{
    CommandHandler, EventId, InfrastructureError, UnitOfWork, UnitOfWorkFactory,
};
use shared_kernel_domain::{AggregateRoot, Clock, EmailAddress, EventRef, FixedClock, UserId};

use crate::commands::{
    ChangeUserEmailAddressHandler, LogInHandler, RegisterUser, RegisterUserHandler,
};
use crate::ports::{
    AccessToken, AccountsUnitOfWork, InvalidToken, Mailer, PasswordHasher, SaveUserError,
    TokenIssuer, TokenVerifier, UserCredentials, UserQueries, UserRepository, UserView,
};
use crate::{KnownUsers, TokenAuthenticator};

/// The committed state: what a database would hold, plus what was published after commits.
#[derive(Default)]
pub struct FakeUserStore {
    users: Mutex<HashMap<UserId, User>>,
    inbox: InMemoryInbox,
    published: Mutex<Vec<EventRef>>,
    commits: AtomicUsize,
}

impl FakeUserStore {
    pub fn get(&self, id: UserId) -> Option<User> {
        self.users.lock().unwrap().get(&id).cloned()
    }

    pub fn count(&self) -> usize {
        self.users.lock().unwrap().len()
    }

    /// Takes `id` out behind the use cases' back, as a restore or a reset would.
    pub fn remove(&self, id: UserId) {
        self.users.lock().unwrap().remove(&id);
    }

    pub fn commits(&self) -> usize {
        self.commits.load(Ordering::SeqCst)
    }

    pub fn published(&self) -> Vec<EventRef> {
        self.published.lock().unwrap().clone()
    }

    fn find_by_email(&self, email: &EmailAddress) -> Option<User> {
        self.users
            .lock()
            .unwrap()
            .values()
            .find(|user| user.email() == email)
            .cloned()
    }
}

#[async_trait]
impl UserQueries for FakeUserStore {
    async fn get_user(&self, id: UserId) -> Result<Option<UserView>, InfrastructureError> {
        Ok(self.get(id).as_ref().map(UserView::from))
    }

    async fn find_credentials(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<UserCredentials>, InfrastructureError> {
        Ok(self.find_by_email(email).map(|user| UserCredentials {
            id: user.id(),
            password_hash: user.password_hash().clone(),
        }))
    }

    async fn user_exists(&self, id: UserId) -> Result<bool, InfrastructureError> {
        Ok(self.get(id).is_some())
    }
}

/// Stages changes on a copy of the store; only `commit` makes them visible and publishes the
/// events, so a use case that returns early leaves the store as it was.
pub struct FakeUnitOfWork {
    store: Arc<FakeUserStore>,
    staged: Mutex<HashMap<UserId, User>>,
    inbox: StagedInbox,
    events: Mutex<Vec<EventRef>>,
}

impl FakeUnitOfWork {
    fn save(&self, user: &mut User, is_new: bool) -> Result<(), SaveUserError> {
        let mut staged = self.staged.lock().unwrap();
        if is_new == staged.contains_key(&user.id()) {
            return Err(SaveUserError::Infrastructure(InfrastructureError::new(
                "saving a user",
                "the user's existence does not match the operation",
            )));
        }
        let taken = staged
            .values()
            .any(|other| other.id() != user.id() && other.email() == user.email());
        if taken {
            return Err(SaveUserError::EmailTaken);
        }
        self.events.lock().unwrap().extend(user.take_events());
        staged.insert(user.id(), user.clone());
        Ok(())
    }
}

#[async_trait]
impl UserRepository for FakeUnitOfWork {
    async fn get(&self, id: UserId) -> Result<Option<User>, InfrastructureError> {
        Ok(self.staged.lock().unwrap().get(&id).cloned())
    }

    async fn add(&self, user: &mut User) -> Result<(), SaveUserError> {
        self.save(user, true)
    }

    async fn update(&self, user: &mut User) -> Result<(), SaveUserError> {
        self.save(user, false)
    }
}

#[async_trait]
impl UnitOfWork for FakeUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError> {
        let staged = self.staged.into_inner().unwrap();
        *self.store.users.lock().unwrap() = staged;
        self.inbox.commit();
        self.store.commits.fetch_add(1, Ordering::SeqCst);
        let events = self.events.into_inner().unwrap();
        self.store.published.lock().unwrap().extend(events);
        Ok(())
    }
}

impl AccountsUnitOfWork for FakeUnitOfWork {
    fn users(&self) -> &dyn UserRepository {
        self
    }

    fn inbox(&self) -> &dyn Inbox {
        &self.inbox
    }
}

pub struct FakeUnitOfWorkFactory(pub Arc<FakeUserStore>);

#[async_trait]
impl UnitOfWorkFactory<dyn AccountsUnitOfWork> for FakeUnitOfWorkFactory {
    async fn begin(&self) -> Result<Box<dyn AccountsUnitOfWork>, InfrastructureError> {
        let staged = self.0.users.lock().unwrap().clone();
        Ok(Box::new(FakeUnitOfWork {
            store: Arc::clone(&self.0),
            staged: Mutex::new(staged),
            inbox: self.0.inbox.begin(),
            events: Mutex::default(),
        }))
    }
}

/// "Hashes" by prefixing, so that tests can see what was hashed.
#[derive(Default)]
pub struct FakeHasher {
    dummy_verifications: AtomicUsize,
}

impl FakeHasher {
    pub fn dummy_verifications(&self) -> usize {
        self.dummy_verifications.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl PasswordHasher for FakeHasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, InfrastructureError> {
        Ok(PasswordHash::new(format!("hashed:{}", password.expose())))
    }

    async fn verify(
        &self,
        candidate: &str,
        hash: &PasswordHash,
    ) -> Result<bool, InfrastructureError> {
        Ok(hash.as_str() == format!("hashed:{candidate}"))
    }

    async fn verify_against_dummy(&self, _candidate: &str) -> Result<(), InfrastructureError> {
        self.dummy_verifications.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Tokens that say whose they are: `token-for:<user id>`.
pub struct FakeTokens;

impl TokenIssuer for FakeTokens {
    fn issue(&self, user_id: UserId) -> Result<AccessToken, InfrastructureError> {
        Ok(AccessToken {
            token: format!("token-for:{user_id}"),
            expires_in_seconds: 3600,
        })
    }
}

impl TokenVerifier for FakeTokens {
    fn verify(&self, token: &str) -> Result<UserId, InvalidToken> {
        token
            .strip_prefix("token-for:")
            .and_then(|id| id.parse().ok())
            .ok_or(InvalidToken)
    }
}

#[derive(Default)]
pub struct FakeMailer {
    sent: Mutex<Vec<(String, EventId)>>,
    fail_next: std::sync::atomic::AtomicBool,
}

impl FakeMailer {
    pub fn sent(&self) -> Vec<(String, EventId)> {
        self.sent.lock().unwrap().clone()
    }

    pub fn fail_next(&self) {
        self.fail_next.store(true, Ordering::SeqCst);
    }
}

#[async_trait]
impl Mailer for FakeMailer {
    async fn send_welcome_email(
        &self,
        to: &EmailAddress,
        message_id: EventId,
    ) -> Result<(), InfrastructureError> {
        if self.fail_next.swap(false, Ordering::SeqCst) {
            return Err(InfrastructureError::new(
                "sending an email",
                "the mail service is down",
            ));
        }
        self.sent.lock().unwrap().push((to.to_string(), message_id));
        Ok(())
    }
}

/// Every fake, wired the way the composition root wires the real adapters.
pub struct Fakes {
    pub users: Arc<FakeUserStore>,
    pub hasher: Arc<FakeHasher>,
    pub clock: Arc<FixedClock>,
}

impl Fakes {
    pub const PASSWORD: &'static str = "correct horse battery";

    pub fn new() -> Self {
        Self {
            users: Arc::default(),
            hasher: Arc::default(),
            clock: Arc::new(FixedClock::at(
                DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z")
                    .unwrap()
                    .with_timezone(&Utc),
            )),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn register_user(&self) -> RegisterUserHandler {
        RegisterUserHandler {
            unit_of_work: Arc::new(FakeUnitOfWorkFactory(self.users.clone())),
            hasher: self.hasher.clone(),
            clock: self.clock.clone(),
        }
    }

    pub fn change_email(&self) -> ChangeUserEmailAddressHandler {
        ChangeUserEmailAddressHandler {
            unit_of_work: Arc::new(FakeUnitOfWorkFactory(self.users.clone())),
            clock: self.clock.clone(),
        }
    }

    pub fn log_in(&self) -> LogInHandler {
        LogInHandler {
            queries: self.users.clone(),
            hasher: self.hasher.clone(),
            tokens: Arc::new(FakeTokens),
        }
    }

    /// An authenticator that looks every user up.
    pub fn authenticator(&self) -> TokenAuthenticator {
        TokenAuthenticator {
            verifier: Arc::new(FakeTokens),
            queries: self.users.clone(),
            known_users: KnownUsers::none(self.clock.clone()),
        }
    }

    /// An authenticator that remembers the users it found for `ttl` of the fake clock.
    pub fn authenticator_remembering_for(&self, ttl: std::time::Duration) -> TokenAuthenticator {
        TokenAuthenticator {
            known_users: KnownUsers::new(ttl, 100, self.clock.clone()),
            ..self.authenticator()
        }
    }

    /// A registered user with `PASSWORD`, registered through the use case.
    pub async fn given_user(&self, email: &str) -> UserId {
        self.register_user()
            .handle(RegisterUser {
                email: email.into(),
                password: Self::PASSWORD.into(),
            })
            .await
            .unwrap()
            .id
    }
}
