use std::sync::Arc;

use accounts_application::ports::UserQueries;
use accounts_application::{AccountsPorts, TokenAuthenticator};
use accounts_infrastructure::{
    BcryptPasswordHasher, JwtTokens, SeaOrmAccountsUnitOfWorkFactory, SeaOrmUserQueries,
    TracingMailer,
};
use sea_orm::DatabaseConnection;
use shared_kernel_application::{Authenticator, BusError, HandlerRegistry};
use shared_kernel_domain::Clock;
use shared_kernel_infrastructure::outbox::Outbox;

use crate::config::Settings;

/// What the accounts routes, and every context's `CurrentUser`, read from the app data.
#[derive(Clone)]
pub struct AccountsServices {
    pub queries: Arc<dyn UserQueries>,
    pub authenticator: Arc<dyn Authenticator>,
}

pub fn wire(
    registry: &mut HandlerRegistry,
    settings: &Settings,
    database: &DatabaseConnection,
    clock: Arc<dyn Clock>,
    outbox: Outbox,
) -> Result<AccountsServices, BusError> {
    let queries: Arc<dyn UserQueries> = Arc::new(SeaOrmUserQueries::new(database.clone()));
    let tokens = Arc::new(JwtTokens::new(
        settings.jwt_secret.as_bytes(),
        settings.access_token_lifetime,
        clock.clone(),
    ));
    accounts_application::register(
        registry,
        &AccountsPorts {
            unit_of_work: Arc::new(SeaOrmAccountsUnitOfWorkFactory::new(
                database.clone(),
                outbox,
            )),
            queries: queries.clone(),
            hasher: Arc::new(BcryptPasswordHasher::new(settings.bcrypt_cost)),
            tokens: tokens.clone(),
            mailer: Arc::new(TracingMailer),
            clock,
        },
    )?;
    Ok(AccountsServices {
        authenticator: Arc::new(TokenAuthenticator {
            verifier: tokens,
            queries: queries.clone(),
        }),
        queries,
    })
}
