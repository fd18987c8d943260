use std::sync::Arc;

use accounts_application::ports::UserQueries;
use accounts_application::{AccountsPorts, KnownUsers, TokenAuthenticator};
use accounts_infrastructure::{
    BcryptPasswordHasher, JwtTokens, SeaOrmAccountsUnitOfWorkFactory, SeaOrmUserQueries,
    TracingMailer,
};
use shared_kernel_application::{Authenticator, BusError, HandlerRegistry};
use shared_kernel_domain::Clock;
use shared_kernel_infrastructure::Databases;
use shared_kernel_infrastructure::outbox::Outbox;

use crate::config::Settings;

/// How many users the authenticator remembers at most: about 64 bytes each.
const KNOWN_USERS_CAPACITY: usize = 10_000;

/// What the accounts routes, and every context's `CurrentUser`, read from the app data.
#[derive(Clone)]
pub struct AccountsServices {
    pub queries: Arc<dyn UserQueries>,
    pub authenticator: Arc<dyn Authenticator>,
}

pub fn wire(
    registry: &mut HandlerRegistry,
    settings: &Settings,
    databases: &Databases,
    clock: Arc<dyn Clock>,
    outbox: Outbox,
) -> Result<AccountsServices, BusError> {
    let queries: Arc<dyn UserQueries> = Arc::new(SeaOrmUserQueries::new(databases.queries.clone()));
    let tokens = Arc::new(JwtTokens::new(
        settings.jwt_secret.as_bytes(),
        settings.access_token_lifetime,
        clock.clone(),
    ));
    accounts_application::register(
        registry,
        &AccountsPorts {
            unit_of_work: Arc::new(SeaOrmAccountsUnitOfWorkFactory::new(
                databases.writer.clone(),
                outbox,
            )),
            queries: queries.clone(),
            hasher: Arc::new(BcryptPasswordHasher::new(settings.bcrypt_cost)),
            tokens: tokens.clone(),
            mailer: Arc::new(TracingMailer),
            clock: clock.clone(),
        },
    )?;
    Ok(AccountsServices {
        authenticator: Arc::new(TokenAuthenticator {
            verifier: tokens,
            queries: queries.clone(),
            known_users: KnownUsers::new(settings.known_user_ttl, KNOWN_USERS_CAPACITY, clock),
        }),
        queries,
    })
}
