//! How the projects context reacts to what happens elsewhere.

use std::sync::Arc;

use accounts_contracts::UserAccountCreated;
use async_trait::async_trait;
use projects_domain::ProjectId;
use shared_kernel_application::{EventHandler, EventHandlerError, EventId};
use shared_kernel_domain::Clock;

use crate::ports::ProjectsUnitOfWorkFactory;
use crate::starter_project::starter_project;

/// Every new user starts with an example project. Registration does not know this happens:
/// the accounts context only announces the new account.
pub struct CreateStarterProject {
    pub unit_of_work: Arc<ProjectsUnitOfWorkFactory>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl EventHandler<UserAccountCreated> for CreateStarterProject {
    fn name(&self) -> &'static str {
        "projects.CreateStarterProject"
    }

    /// The inbox entry and the project commit together, so that however often the event
    /// arrives, one user gets one starter project.
    async fn handle(
        &self,
        event: &UserAccountCreated,
        id: EventId,
    ) -> Result<(), EventHandlerError> {
        let unit_of_work = self.unit_of_work.begin().await?;
        if !unit_of_work.inbox().first_delivery(self.name(), id).await? {
            return Ok(());
        }
        let mut project = starter_project(
            ProjectId::new(),
            event.user_id,
            event.occurred_at,
            self.clock.now(),
        )?;
        unit_of_work.projects().add(&mut project).await?;
        unit_of_work.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use shared_kernel_application::MessageBus;
    use shared_kernel_domain::{EmailAddress, UserId};

    use super::*;
    use crate::register;
    use crate::starter_project::{STARTER_PROJECT_NAME, STARTER_TASKS};
    use crate::testing::Fakes;

    fn new_account(fakes: &Fakes, user: UserId) -> UserAccountCreated {
        UserAccountCreated {
            user_id: user,
            email: EmailAddress::parse("ada@example.com").unwrap(),
            occurred_at: fakes.clock.now() - Duration::seconds(1),
        }
    }

    #[tokio::test]
    async fn a_new_user_account_gets_the_starter_project_through_the_bus() {
        let fakes = Fakes::new();
        let ports = fakes.ports();
        let bus = MessageBus::build(|registry, _| register(registry, &ports)).unwrap();
        let user = UserId::new();
        let event = new_account(&fakes, user);

        bus.publish(EventId::new(), &event).await.unwrap();

        let projects = fakes.projects.owned_by(user);
        assert_eq!(projects.len(), 1);
        let project = &projects[0];
        assert_eq!(project.name().as_str(), STARTER_PROJECT_NAME);
        let tasks: Vec<(&str, bool)> = project
            .loaded_tasks()
            .iter()
            .map(|t| (t.name().as_str(), t.is_completed()))
            .collect();
        assert_eq!(
            tasks,
            STARTER_TASKS
                .iter()
                .enumerate()
                .map(|(i, name)| (*name, i == 0))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            project.loaded_tasks()[0].completed_at(),
            Some(event.occurred_at)
        );
    }

    #[tokio::test]
    async fn a_redelivered_event_creates_no_second_starter_project() {
        let fakes = Fakes::new();
        let handler = CreateStarterProject {
            unit_of_work: fakes.ports().unit_of_work,
            clock: fakes.clock.clone(),
        };
        let user = UserId::new();
        let (event, id) = (new_account(&fakes, user), EventId::new());

        handler.handle(&event, id).await.unwrap();
        handler.handle(&event, id).await.unwrap();

        assert_eq!(fakes.projects.owned_by(user).len(), 1);
        assert_eq!(fakes.projects.commits(), 1);
    }
}
