//! Adapters that implement the accounts context's ports with real technology: sea-orm for
//! the users and sessions tables, bcrypt for passwords, JWT for access tokens, random bytes
//! and SHA-256 for refresh tokens, `tracing` for the stand-in
//! mailer, serde for the stored shape of its events. They only adapt: every rule lives in the domain and the use cases.

mod adapters;
mod event_schemas;
mod persistence;
mod security;
mod tracing_mailer;

pub use adapters::{AccountsSettings, JwtSecret, adapters};
pub use event_schemas::register_event_schemas;
pub use persistence::{
    SeaOrmAccountsUnitOfWorkFactory, SeaOrmLoginFailures, SeaOrmSessionQueries, SeaOrmUserQueries,
    insert_users,
};
pub use security::{BcryptPasswordHasher, JwtTokens, RandomRefreshTokens};
pub use tracing_mailer::TracingMailer;
