//! What the accounts use cases need from the outside world. Infrastructure implements these
//! traits; the tests implement them with in-memory fakes.

mod login_failures;
mod mailer;
mod password_hasher;
mod refresh_tokens;
mod session_queries;
mod session_repository;
mod tokens;
mod unit_of_work;
mod user_queries;
mod user_repository;

pub use login_failures::{LoginFailures, account_key};
pub use mailer::Mailer;
pub use password_hasher::PasswordHasher;
pub use refresh_tokens::{NewRefreshToken, RefreshTokens};
pub use session_queries::{SessionQueries, SessionView};
pub use session_repository::SessionRepository;
pub use tokens::{AccessToken, InvalidToken, TokenIssuer, TokenVerifier, VerifiedToken};
pub use unit_of_work::{AccountsUnitOfWork, AccountsUnitOfWorkFactory};
pub use user_queries::{StoredPassword, UserCredentials, UserQueries, UserView};
pub use user_repository::{SaveUserError, UserRepository};
