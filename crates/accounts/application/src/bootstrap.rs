use std::sync::Arc;

use accounts_domain::LoginThrottle;
use chrono::Duration;
use shared_kernel_application::{BusError, HandlerRegistry};
use shared_kernel_domain::Clock;

use crate::commands::{
    ChangePasswordHandler, ChangeUserEmailAddressHandler, EndOtherSessionsHandler,
    EndSessionHandler, LogInHandler, RefreshSessionHandler, RegisterUserHandler,
    RevokeTokenHandler,
};
use crate::ports::{
    AccountsUnitOfWorkFactory, LoginFailures, Mailer, PasswordHasher, RefreshTokens,
    SessionQueries, TokenIssuer, TokenVerifier, UserQueries,
};
use crate::{ForgetEndedSession, KnownCallers, SendWelcomeEmail, TokenAuthenticator};

/// The adapters the accounts use cases run on, chosen by the composition root.
#[derive(Clone)]
pub struct AccountsPorts {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub queries: Arc<dyn UserQueries>,
    pub sessions: Arc<dyn SessionQueries>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub tokens: Arc<dyn TokenIssuer>,
    pub token_verifier: Arc<dyn TokenVerifier>,
    pub refresh_tokens: Arc<dyn RefreshTokens>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
    /// How long a session lasts without being refreshed.
    pub session_lifetime: Duration,
    /// The authenticator's memory, which the context empties of the sessions it ends.
    pub known_callers: Arc<KnownCallers>,
    pub login_failures: Arc<dyn LoginFailures>,
    /// The limits on failed logins.
    pub throttle: LoginThrottle,
}

impl AccountsPorts {
    /// The authenticator of every context's routes.
    pub fn authenticator(&self) -> TokenAuthenticator {
        TokenAuthenticator {
            verifier: self.token_verifier.clone(),
            users: self.queries.clone(),
            sessions: self.sessions.clone(),
            known_callers: self.known_callers.clone(),
            clock: self.clock.clone(),
        }
    }
}

/// Registers the accounts context's command and event handlers on the bus.
pub fn register(registry: &mut HandlerRegistry, ports: &AccountsPorts) -> Result<(), BusError> {
    let unit_of_work = &ports.unit_of_work;
    let clock = &ports.clock;
    registry
        .command(RegisterUserHandler {
            unit_of_work: unit_of_work.clone(),
            hasher: ports.hasher.clone(),
            clock: clock.clone(),
        })?
        .command(ChangeUserEmailAddressHandler {
            unit_of_work: unit_of_work.clone(),
            clock: clock.clone(),
        })?
        .command(LogInHandler {
            queries: ports.queries.clone(),
            hasher: ports.hasher.clone(),
            tokens: ports.tokens.clone(),
            refresh_tokens: ports.refresh_tokens.clone(),
            unit_of_work: unit_of_work.clone(),
            clock: clock.clone(),
            session_lifetime: ports.session_lifetime,
            failures: ports.login_failures.clone(),
            throttle: ports.throttle,
        })?
        .command(RefreshSessionHandler {
            unit_of_work: unit_of_work.clone(),
            tokens: ports.tokens.clone(),
            refresh_tokens: ports.refresh_tokens.clone(),
            clock: clock.clone(),
            session_lifetime: ports.session_lifetime,
        })?
        .command(EndSessionHandler {
            unit_of_work: unit_of_work.clone(),
            clock: clock.clone(),
        })?
        .command(EndOtherSessionsHandler {
            unit_of_work: unit_of_work.clone(),
            clock: clock.clone(),
        })?
        .command(RevokeTokenHandler {
            unit_of_work: unit_of_work.clone(),
            refresh_tokens: ports.refresh_tokens.clone(),
            verifier: ports.token_verifier.clone(),
            clock: clock.clone(),
        })?
        .command(ChangePasswordHandler {
            unit_of_work: unit_of_work.clone(),
            queries: ports.queries.clone(),
            hasher: ports.hasher.clone(),
            clock: clock.clone(),
            failures: ports.login_failures.clone(),
            throttle: ports.throttle,
        })?
        .event(SendWelcomeEmail {
            unit_of_work: unit_of_work.clone(),
            mailer: ports.mailer.clone(),
        })
        .event(ForgetEndedSession {
            known_callers: ports.known_callers.clone(),
        });
    Ok(())
}
