//! In-memory fakes of every accounts port, cosmicpython style: the use cases run against
//! them exactly as they run against the database, without one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use accounts_contracts::{SessionEndReason, SessionId};
use std::net::IpAddr;

use accounts_domain::{
    ACCOUNT_WINDOW, FailureRecord, LoginThrottle, Password, PasswordHash, RefreshTokenHash,
    Session, User,
};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use shared_kernel_application::Inbox;
use shared_kernel_application::idempotency::IdempotentAnswers;
use shared_kernel_application::testing::{
    InMemoryIdempotencyKeys, InMemoryInbox, StagedAnswers, StagedInbox,
};
use shared_kernel_application::{
    CommandHandler, EventId, InfrastructureError, UnitOfWork, UnitOfWorkFactory,
};
use shared_kernel_domain::{
    AggregateRoot, Clock, DomainEvent, EmailAddress, EventRef, FixedClock, UserId,
};

use crate::commands::{
    ChangePasswordHandler, ChangeUserEmailAddressHandler, EndOtherSessionsHandler, EndSession,
    EndSessionHandler, LogIn, LogInError, LogInHandler, RefreshSession, RefreshSessionError,
    RefreshSessionHandler, RegisterUser, RegisterUserHandler, RevokeTokenHandler, SessionTokens,
};
use crate::ports::{
    AccessToken, AccountsUnitOfWork, InvalidToken, LoginFailures, Mailer, NewRefreshToken,
    PasswordHasher, RefreshTokens, SaveUserError, SessionQueries, SessionRepository, SessionView,
    StoredPassword, TokenIssuer, TokenVerifier, UserCredentials, UserQueries, UserRepository,
    UserView, VerifiedToken,
};
use crate::{ForgetEndedSession, KnownCallers, TokenAuthenticator};
use shared_kernel_application::EventHandler;

/// The committed state: what a database would hold, plus what was published after commits.
#[derive(Default)]
pub struct FakeUserStore {
    users: Mutex<HashMap<UserId, User>>,
    sessions: Mutex<Sessions>,
    inbox: InMemoryInbox,
    /// The idempotency keys, whose answers the Units of Work record.
    pub answers: InMemoryIdempotencyKeys,
    published: Mutex<Vec<EventRef>>,
    commits: AtomicUsize,
}

impl FakeUserStore {
    pub fn get(&self, id: UserId) -> Option<User> {
        self.users.lock().unwrap().get(&id).cloned()
    }

    pub fn session(&self, id: SessionId) -> Option<Session> {
        self.sessions.lock().unwrap().by_id.get(&id).cloned()
    }

    /// The events of type `E` published so far, in order.
    pub fn published_of<E: DomainEvent + Clone>(&self) -> Vec<E> {
        self.published()
            .iter()
            .filter_map(|event| (event.as_ref() as &dyn std::any::Any).downcast_ref::<E>())
            .cloned()
            .collect()
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

    async fn stored_password(
        &self,
        id: UserId,
    ) -> Result<Option<StoredPassword>, InfrastructureError> {
        Ok(self.get(id).map(|user| StoredPassword {
            email: user.email().to_string(),
            password_hash: user.password_hash().clone(),
        }))
    }

    async fn user_exists(&self, id: UserId) -> Result<bool, InfrastructureError> {
        Ok(self.get(id).is_some())
    }
}

/// Sessions, and which session every refresh token ever issued belongs to.
#[derive(Default, Clone)]
pub struct Sessions {
    by_id: HashMap<SessionId, Session>,
    by_token: HashMap<RefreshTokenHash, SessionId>,
}

impl Sessions {
    fn save(&mut self, session: &Session) {
        self.by_token
            .insert(session.refresh_token().clone(), session.id());
        self.by_id.insert(session.id(), session.clone());
    }
}

#[async_trait]
impl SessionQueries for FakeUserStore {
    async fn active_sessions(
        &self,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionView>, InfrastructureError> {
        let sessions = self.sessions.lock().unwrap();
        let mut views: Vec<_> = sessions
            .by_id
            .values()
            .filter(|session| session.user_id() == user && session.is_active(now))
            .map(|session| SessionView {
                id: session.id(),
                created_at: session.created_at(),
                last_used_at: session.last_used_at(),
                expires_at: session.expires_at(),
                user_agent: session.user_agent().map(str::to_owned),
            })
            .collect();
        views.sort_by_key(|view| std::cmp::Reverse(view.id));
        Ok(views)
    }

    async fn is_active(
        &self,
        user: UserId,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> Result<bool, InfrastructureError> {
        Ok(self
            .session(session)
            .is_some_and(|session| session.user_id() == user && session.is_active(now)))
    }
}

/// Stages changes on a copy of the store; only `commit` makes them visible and publishes the
/// events, so a use case that returns early leaves the store as it was.
pub struct FakeUnitOfWork {
    store: Arc<FakeUserStore>,
    staged: Mutex<HashMap<UserId, User>>,
    staged_sessions: Mutex<Sessions>,
    inbox: StagedInbox,
    answers: StagedAnswers,
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
impl SessionRepository for FakeUnitOfWork {
    async fn get(&self, id: SessionId) -> Result<Option<Session>, InfrastructureError> {
        Ok(self.staged_sessions.lock().unwrap().by_id.get(&id).cloned())
    }

    async fn find_by_refresh_token(
        &self,
        token: &RefreshTokenHash,
    ) -> Result<Option<Session>, InfrastructureError> {
        let sessions = self.staged_sessions.lock().unwrap();
        Ok(sessions
            .by_token
            .get(token)
            .and_then(|id| sessions.by_id.get(id))
            .cloned())
    }

    async fn active_of_user(
        &self,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Session>, InfrastructureError> {
        let sessions = self.staged_sessions.lock().unwrap();
        Ok(sessions
            .by_id
            .values()
            .filter(|session| session.user_id() == user && session.is_active(now))
            .cloned()
            .collect())
    }

    async fn add(&self, session: &mut Session) -> Result<(), InfrastructureError> {
        self.events.lock().unwrap().extend(session.take_events());
        self.staged_sessions.lock().unwrap().save(session);
        Ok(())
    }

    async fn update(&self, session: &mut Session) -> Result<(), InfrastructureError> {
        SessionRepository::add(self, session).await
    }
}

#[async_trait]
impl UnitOfWork for FakeUnitOfWork {
    async fn commit(self: Box<Self>) -> Result<(), InfrastructureError> {
        let staged = self.staged.into_inner().unwrap();
        *self.store.users.lock().unwrap() = staged;
        *self.store.sessions.lock().unwrap() = self.staged_sessions.into_inner().unwrap();
        self.inbox.commit();
        self.answers.commit();
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

    fn sessions(&self) -> &dyn SessionRepository {
        self
    }

    fn inbox(&self) -> &dyn Inbox {
        &self.inbox
    }

    fn idempotent_answers(&self) -> &dyn IdempotentAnswers {
        &self.answers
    }
}

pub struct FakeUnitOfWorkFactory(pub Arc<FakeUserStore>);

#[async_trait]
impl UnitOfWorkFactory<dyn AccountsUnitOfWork> for FakeUnitOfWorkFactory {
    async fn begin(&self) -> Result<Box<dyn AccountsUnitOfWork>, InfrastructureError> {
        let staged = self.0.users.lock().unwrap().clone();
        let staged_sessions = self.0.sessions.lock().unwrap().clone();
        Ok(Box::new(FakeUnitOfWork {
            store: Arc::clone(&self.0),
            staged: Mutex::new(staged),
            staged_sessions: Mutex::new(staged_sessions),
            inbox: self.0.inbox.begin(),
            answers: self.0.answers.begin(),
            events: Mutex::default(),
        }))
    }
}

/// "Hashes" by prefixing, so that tests can see what was hashed.
#[derive(Default)]
pub struct FakeHasher {
    dummy_verifications: AtomicUsize,
    verifications: AtomicUsize,
}

impl FakeHasher {
    /// Every verification, of a real hash or the dummy.
    pub fn verifications(&self) -> usize {
        self.verifications.load(Ordering::SeqCst) + self.dummy_verifications()
    }

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
        self.verifications.fetch_add(1, Ordering::SeqCst);
        Ok(hash.as_str() == format!("hashed:{candidate}"))
    }

    async fn verify_against_dummy(&self, _candidate: &str) -> Result<(), InfrastructureError> {
        self.dummy_verifications.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Tokens that say whose they are: `token-for:<user id>:<session id>`, or
/// `token-for:<user id>` for one from before sessions existed.
pub struct FakeTokens;

impl TokenIssuer for FakeTokens {
    fn issue(
        &self,
        user_id: UserId,
        session_id: SessionId,
    ) -> Result<AccessToken, InfrastructureError> {
        Ok(AccessToken {
            token: format!("token-for:{user_id}:{session_id}"),
            expires_in_seconds: 900,
        })
    }
}

impl TokenVerifier for FakeTokens {
    fn verify(&self, token: &str) -> Result<VerifiedToken, InvalidToken> {
        let claims = token.strip_prefix("token-for:").ok_or(InvalidToken)?;
        let (user, session) = match claims.split_once(':') {
            Some((user, session)) => (user, Some(session)),
            None => (claims, None),
        };
        let session_id = match session {
            Some(session) => Some(SessionId::from_uuid(
                session.parse().map_err(|_| InvalidToken)?,
            )),
            None => None,
        };
        Ok(VerifiedToken {
            user_id: user.parse().map_err(|_| InvalidToken)?,
            session_id,
        })
    }
}

/// Refresh tokens numbered in order, `refresh-1`, `refresh-2`…, "digested" by prefixing.
#[derive(Default)]
pub struct FakeRefreshTokens {
    issued: AtomicUsize,
}

impl RefreshTokens for FakeRefreshTokens {
    fn generate(&self) -> Result<NewRefreshToken, InfrastructureError> {
        let token = format!("refresh-{}", self.issued.fetch_add(1, Ordering::SeqCst) + 1);
        Ok(NewRefreshToken {
            hash: self.digest(&token),
            token,
        })
    }

    fn digest(&self, presented: &str) -> RefreshTokenHash {
        RefreshTokenHash::new(format!("digest:{presented}"))
    }
}

/// A count, and when it last moved (in a row) or started (an hour).
type Count = (u32, DateTime<Utc>);

/// Failed logins in memory, counted as the database counts them.
#[derive(Default)]
pub struct FakeLoginFailures {
    in_a_row: Mutex<HashMap<(String, IpAddr), Count>>,
    hours: Mutex<HashMap<String, Count>>,
}

#[async_trait]
impl LoginFailures for FakeLoginFailures {
    async fn record_of(
        &self,
        account: &str,
        address: IpAddr,
    ) -> Result<FailureRecord, InfrastructureError> {
        let pair = self
            .in_a_row
            .lock()
            .unwrap()
            .get(&(account.to_owned(), address))
            .copied();
        let hour = self.hours.lock().unwrap().get(account).copied();
        Ok(FailureRecord {
            consecutive: pair.map_or(0, |(count, _)| count),
            last_failure_at: pair.map(|(_, at)| at),
            in_window: hour.map_or(0, |(count, _)| count),
            window_started_at: hour.map(|(_, at)| at),
        })
    }

    async fn add_failure(
        &self,
        account: &str,
        address: IpAddr,
        now: DateTime<Utc>,
    ) -> Result<(), InfrastructureError> {
        let mut in_a_row = self.in_a_row.lock().unwrap();
        let pair = in_a_row
            .entry((account.to_owned(), address))
            .or_insert((0, now));
        *pair = (pair.0 + 1, now);
        let mut hours = self.hours.lock().unwrap();
        let hour = hours.entry(account.to_owned()).or_insert((0, now));
        if hour.1 <= now - ACCOUNT_WINDOW {
            *hour = (0, now);
        }
        hour.0 += 1;
        Ok(())
    }

    async fn clear_consecutive(
        &self,
        account: &str,
        address: IpAddr,
    ) -> Result<(), InfrastructureError> {
        self.in_a_row
            .lock()
            .unwrap()
            .remove(&(account.to_owned(), address));
        Ok(())
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
    pub refresh_tokens: Arc<FakeRefreshTokens>,
    pub failures: Arc<FakeLoginFailures>,
    pub clock: Arc<FixedClock>,
}

impl Fakes {
    pub const PASSWORD: &'static str = "correct horse battery";
    pub const SESSION_LIFETIME: Duration = Duration::days(30);
    pub const THROTTLE: LoginThrottle = LoginThrottle {
        max_failures: 5,
        max_failures_per_hour: 20,
    };
    pub const CLIENT: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));

    pub fn new() -> Self {
        Self {
            users: Arc::default(),
            hasher: Arc::default(),
            refresh_tokens: Arc::default(),
            failures: Arc::default(),
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

    fn unit_of_work(&self) -> Arc<FakeUnitOfWorkFactory> {
        Arc::new(FakeUnitOfWorkFactory(self.users.clone()))
    }

    pub fn log_in(&self) -> LogInHandler {
        LogInHandler {
            queries: self.users.clone(),
            hasher: self.hasher.clone(),
            tokens: Arc::new(FakeTokens),
            refresh_tokens: self.refresh_tokens.clone(),
            unit_of_work: self.unit_of_work(),
            clock: self.clock.clone(),
            session_lifetime: Self::SESSION_LIFETIME,
            failures: self.failures.clone(),
            throttle: Self::THROTTLE,
        }
    }

    pub fn refresh_session(&self) -> RefreshSessionHandler {
        RefreshSessionHandler {
            unit_of_work: self.unit_of_work(),
            tokens: Arc::new(FakeTokens),
            refresh_tokens: self.refresh_tokens.clone(),
            clock: self.clock.clone(),
            session_lifetime: Self::SESSION_LIFETIME,
        }
    }

    pub fn end_session(&self) -> EndSessionHandler {
        EndSessionHandler {
            unit_of_work: self.unit_of_work(),
            clock: self.clock.clone(),
        }
    }

    pub fn end_other_sessions(&self) -> EndOtherSessionsHandler {
        EndOtherSessionsHandler {
            unit_of_work: self.unit_of_work(),
            clock: self.clock.clone(),
        }
    }

    pub fn revoke_token(&self) -> RevokeTokenHandler {
        RevokeTokenHandler {
            unit_of_work: self.unit_of_work(),
            refresh_tokens: self.refresh_tokens.clone(),
            verifier: Arc::new(FakeTokens),
            clock: self.clock.clone(),
        }
    }

    pub fn change_password(&self) -> ChangePasswordHandler {
        ChangePasswordHandler {
            unit_of_work: self.unit_of_work(),
            queries: self.users.clone(),
            hasher: self.hasher.clone(),
            clock: self.clock.clone(),
            failures: self.failures.clone(),
            throttle: Self::THROTTLE,
        }
    }

    /// An authenticator that looks every caller up.
    pub fn authenticator(&self) -> TokenAuthenticator {
        TokenAuthenticator {
            verifier: Arc::new(FakeTokens),
            users: self.users.clone(),
            sessions: self.users.clone(),
            known_callers: Arc::new(KnownCallers::none(self.clock.clone())),
            clock: self.clock.clone(),
        }
    }

    /// An authenticator that remembers the callers it found for `ttl` of the fake clock.
    pub fn authenticator_remembering_for(&self, ttl: std::time::Duration) -> TokenAuthenticator {
        TokenAuthenticator {
            known_callers: Arc::new(KnownCallers::new(ttl, 100, self.clock.clone())),
            ..self.authenticator()
        }
    }

    /// A registered user with `PASSWORD`, registered through the use case.
    pub async fn given_user(&self, email: &str) -> UserId {
        self.register_user()
            .handle(RegisterUser {
                email: email.into(),
                password: Self::PASSWORD.into(),
                keyed_answer: None,
            })
            .await
            .unwrap()
            .id
    }

    /// A new user `email`, logged in once.
    pub async fn given_session(&self, email: &str) -> SessionTokens {
        self.given_user(email).await;
        self.log_in_again(email).await
    }

    /// Another session of the existing user `email`.
    pub async fn log_in_again(&self, email: &str) -> SessionTokens {
        self.log_in_with(email, Self::PASSWORD).await.unwrap()
    }

    pub async fn log_in_with(
        &self,
        email: &str,
        password: &str,
    ) -> Result<SessionTokens, LogInError> {
        self.log_in()
            .handle(LogIn {
                email: email.into(),
                password: password.into(),
                user_agent: None,
                client: Self::CLIENT,
            })
            .await
    }

    pub async fn refresh(&self, token: &str) -> Result<SessionTokens, RefreshSessionError> {
        self.refresh_session()
            .handle(RefreshSession {
                refresh_token: token.into(),
            })
            .await
    }

    /// Logs `session` out, and hands what it published to `authenticator`'s
    /// `ForgetEndedSession`, as the bus does right after the commit.
    pub async fn end_and_forget(&self, session: SessionId, authenticator: &TokenAuthenticator) {
        let user_id = self.users.session(session).unwrap().user_id();
        self.end_session()
            .handle(EndSession {
                user_id,
                session_id: session,
                reason: SessionEndReason::Logout,
            })
            .await
            .unwrap();
        let forget = ForgetEndedSession {
            known_callers: authenticator.known_callers.clone(),
        };
        for ended in self
            .users
            .published_of::<accounts_contracts::SessionEnded>()
        {
            forget.handle(&ended, EventId::new()).await.unwrap();
        }
    }
}
