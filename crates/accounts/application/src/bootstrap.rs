use std::sync::Arc;

use shared_kernel_application::{BusError, HandlerRegistry};
use shared_kernel_domain::Clock;

use crate::SendWelcomeEmail;
use crate::commands::{ChangeUserEmailAddressHandler, LogInHandler, RegisterUserHandler};
use crate::ports::{AccountsUnitOfWorkFactory, Mailer, PasswordHasher, TokenIssuer, UserQueries};

/// The adapters the accounts use cases run on, chosen by the composition root.
#[derive(Clone)]
pub struct AccountsPorts {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub queries: Arc<dyn UserQueries>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub tokens: Arc<dyn TokenIssuer>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
}

/// Registers the accounts context's command and event handlers on the bus.
pub fn register(registry: &mut HandlerRegistry, ports: &AccountsPorts) -> Result<(), BusError> {
    registry
        .command(RegisterUserHandler {
            unit_of_work: ports.unit_of_work.clone(),
            hasher: ports.hasher.clone(),
            clock: ports.clock.clone(),
        })?
        .command(ChangeUserEmailAddressHandler {
            unit_of_work: ports.unit_of_work.clone(),
            clock: ports.clock.clone(),
        })?
        .command(LogInHandler {
            queries: ports.queries.clone(),
            hasher: ports.hasher.clone(),
            tokens: ports.tokens.clone(),
        })?
        .event(SendWelcomeEmail {
            unit_of_work: ports.unit_of_work.clone(),
            mailer: ports.mailer.clone(),
        });
    Ok(())
}
