//! How the projects context reacts to what happens elsewhere.

use async_trait::async_trait;
use shared_kernel_application::{BusHandle, EventHandler, EventHandlerError};
use shared_kernel_domain::UserAccountCreated;

use crate::commands::CreateExampleProject;

/// Every new user starts with an example project. Registration does not know this happens:
/// the accounts context only announces the new account.
pub struct CreateStarterProject {
    pub bus: BusHandle,
}

#[async_trait]
impl EventHandler<UserAccountCreated> for CreateStarterProject {
    fn name(&self) -> &'static str {
        "projects.CreateStarterProject"
    }

    async fn handle(&self, event: &UserAccountCreated) -> Result<(), EventHandlerError> {
        self.bus
            .execute(CreateExampleProject {
                owner: event.user_id,
                registered_at: event.occurred_at,
            })
            .await?;
        Ok(())
    }
}
