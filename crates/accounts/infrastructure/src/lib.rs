//! Adapters that implement the accounts context's ports with real technology: sea-orm for
//! the users table, bcrypt for passwords, JWT for access tokens, `tracing` for the stand-in
//! mailer, serde for the stored shape of its events. They only adapt: every rule lives in the domain and the use cases.

mod adapters;
mod event_schemas;
mod persistence;
mod security;
mod tracing_mailer;

pub use adapters::{AccountsAdapters, AccountsSettings, JwtSecret, adapters};
pub use event_schemas::register_event_schemas;
pub use persistence::{SeaOrmAccountsUnitOfWorkFactory, SeaOrmUserQueries, insert_users};
pub use security::{BcryptPasswordHasher, JwtTokens};
pub use tracing_mailer::TracingMailer;
