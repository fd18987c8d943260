//! The accounts context's adapters, built for its use cases on the platform.

use std::fmt;
use std::sync::Arc;

use accounts_application::AccountsPorts;
use accounts_application::ports::TokenVerifier;
use chrono::Duration;
use platform_outbox::Platform;

use crate::{
    BcryptPasswordHasher, JwtTokens, SeaOrmAccountsUnitOfWorkFactory, SeaOrmUserQueries,
    TracingMailer,
};

/// How the accounts context is configured (the composition root reads it from the
/// environment: `JWT_SECRET`, `ACCESS_TOKEN_EXPIRE_MINUTES`, `AUTH_KNOWN_USER_SECONDS`,
/// `BCRYPT_COST`).
#[derive(Clone)]
pub struct AccountsSettings {
    pub jwt_secret: JwtSecret,
    pub access_token_lifetime: Duration,
    /// How long the authenticator trusts that a user it found still exists (0: never).
    pub known_user_ttl: std::time::Duration,
    pub bcrypt_cost: u32,
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

/// Every port of the accounts use cases with its real adapter, and the token verifier that
/// the authenticator of every context's routes checks tokens with.
pub struct AccountsAdapters {
    pub ports: AccountsPorts,
    pub token_verifier: Arc<dyn TokenVerifier>,
}

/// The accounts context's adapters on `platform`.
pub fn adapters(platform: &Platform, settings: &AccountsSettings) -> AccountsAdapters {
    let tokens = Arc::new(JwtTokens::new(
        settings.jwt_secret.as_bytes(),
        settings.access_token_lifetime,
        platform.clock.clone(),
    ));
    AccountsAdapters {
        ports: AccountsPorts {
            unit_of_work: Arc::new(SeaOrmAccountsUnitOfWorkFactory::new(
                platform.transactions.clone(),
                platform.outbox.clone(),
            )),
            queries: Arc::new(SeaOrmUserQueries::new(platform.queries.clone())),
            hasher: Arc::new(BcryptPasswordHasher::new(settings.bcrypt_cost)),
            tokens: tokens.clone(),
            mailer: Arc::new(TracingMailer),
            clock: platform.clock.clone(),
        },
        token_verifier: tokens,
    }
}
