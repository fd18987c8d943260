//! Adapters that implement the accounts context's ports with real technology: sea-orm for
//! the users table, bcrypt for passwords, JWT for access tokens, `tracing` for the stand-in
//! mailer. They only adapt: every rule lives in the domain and the use cases.

mod persistence;
mod security;
mod tracing_mailer;

pub use persistence::{SeaOrmAccountsUnitOfWorkFactory, SeaOrmUserQueries};
pub use security::{BcryptPasswordHasher, JwtTokens};
pub use tracing_mailer::TracingMailer;
