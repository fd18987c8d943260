//! The accounts context's adapters, built for its use cases on the platform.

use std::fmt;
use std::sync::Arc;

use accounts_application::{AccountsPorts, KnownCallers};
use accounts_domain::LoginThrottle;
use chrono::Duration;
use platform_outbox::Platform;
use shared_kernel_infrastructure::QueueLimits;

use crate::{
    BcryptPasswordHasher, JwtTokens, RandomRefreshTokens, SeaOrmAccountsUnitOfWorkFactory,
    SeaOrmLoginFailures, SeaOrmSessionQueries, SeaOrmUserQueries, TracingMailer,
};

/// How many callers the authenticator remembers at most: about 80 bytes each.
const KNOWN_CALLERS_CAPACITY: usize = 10_000;

/// How the accounts context is configured (the composition root reads it from the
/// environment: `JWT_SECRET`, `ACCESS_TOKEN_EXPIRE_MINUTES`, `REFRESH_TOKEN_EXPIRE_DAYS`,
/// `AUTH_KNOWN_USER_SECONDS`, `BCRYPT_COST`, and the limits of docs/security.md).
#[derive(Clone)]
pub struct AccountsSettings {
    pub jwt_secret: JwtSecret,
    pub access_token_lifetime: Duration,
    /// How long a session lasts without a refresh: each refresh gives it this much again.
    pub refresh_token_lifetime: Duration,
    /// How long the authenticator trusts a session (or a user) it found (0: never).
    pub known_user_ttl: std::time::Duration,
    pub bcrypt_cost: u32,
    /// `LOGIN_MAX_FAILURES` and `LOGIN_MAX_FAILURES_PER_HOUR`.
    pub throttle: LoginThrottle,
    /// `LOGIN_RATE_PER_MINUTE`: password-grant attempts per client address (0: no limit).
    pub login_rate_per_minute: u32,
    /// `REGISTER_RATE_PER_HOUR`: registrations per client address (0: no limit).
    pub register_rate_per_hour: u32,
    /// `QUEUE_MAX_JOBS` and `QUEUE_TIMEOUT_MS`, for the password hashing queue.
    pub hashing_queue: QueueLimits,
}

/// The key access tokens are signed with; never printed.
#[derive(Clone)]
pub struct JwtSecret(String);

impl JwtSecret {
    pub const MIN_PRODUCTION_BYTES: usize = 32;

    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for JwtSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JwtSecret(***)")
    }
}

/// Every port of the accounts use cases with its real adapter on `platform`.
pub fn adapters(platform: &Platform, settings: &AccountsSettings) -> AccountsPorts {
    let tokens = Arc::new(JwtTokens::new(
        settings.jwt_secret.as_bytes(),
        settings.access_token_lifetime,
        platform.clock.clone(),
    ));
    AccountsPorts {
        unit_of_work: Arc::new(SeaOrmAccountsUnitOfWorkFactory::new(
            platform.transactions.clone(),
            platform.outbox.clone(),
        )),
        queries: Arc::new(SeaOrmUserQueries::new(platform.queries.clone())),
        sessions: Arc::new(SeaOrmSessionQueries::new(platform.queries.clone())),
        hasher: Arc::new(BcryptPasswordHasher::new(
            settings.bcrypt_cost,
            settings.hashing_queue,
        )),
        tokens: tokens.clone(),
        token_verifier: tokens,
        refresh_tokens: Arc::new(RandomRefreshTokens),
        mailer: Arc::new(TracingMailer),
        clock: platform.clock.clone(),
        session_lifetime: settings.refresh_token_lifetime,
        known_callers: Arc::new(KnownCallers::new(
            settings.known_user_ttl,
            KNOWN_CALLERS_CAPACITY,
            platform.clock.clone(),
        )),
        login_failures: Arc::new(SeaOrmLoginFailures::new(
            platform.queries.clone(),
            platform.transactions.clone(),
        )),
        throttle: settings.throttle,
    }
}
