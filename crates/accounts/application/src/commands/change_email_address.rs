use std::sync::Arc;

use async_trait::async_trait;
use shared_kernel_application::{
    BusError, Command, CommandHandler, InfrastructureError, InvalidInput,
};
use shared_kernel_domain::{Clock, EmailAddress, UserId};

use crate::ports::{AccountsUnitOfWorkFactory, SaveUserError, UserView};

/// Changes the address a user logs in with. The same address is a no-op.
#[derive(Debug)]
pub struct ChangeUserEmailAddress {
    pub user_id: UserId,
    pub email: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeUserEmailAddressError {
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    #[error("the user does not exist")]
    UserNotFound,
    #[error("the email address is already taken")]
    EmailTaken,
    #[error("changing an email address failed")]
    Infrastructure(#[from] InfrastructureError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl Command for ChangeUserEmailAddress {
    type Output = UserView;
    type Error = ChangeUserEmailAddressError;
}

pub struct ChangeUserEmailAddressHandler {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl CommandHandler<ChangeUserEmailAddress> for ChangeUserEmailAddressHandler {
    async fn handle(
        &self,
        command: ChangeUserEmailAddress,
    ) -> Result<UserView, ChangeUserEmailAddressError> {
        let email = EmailAddress::parse(&command.email)
            .map_err(|error| InvalidInput::field("email", error))?;

        let unit_of_work = self.unit_of_work.begin().await?;
        let mut user = unit_of_work
            .users()
            .get(command.user_id)
            .await?
            .ok_or(ChangeUserEmailAddressError::UserNotFound)?;
        if user.change_email(email, self.clock.now()) {
            unit_of_work
                .users()
                .update(&mut user)
                .await
                .map_err(|error| match error {
                    SaveUserError::EmailTaken => ChangeUserEmailAddressError::EmailTaken,
                    SaveUserError::Infrastructure(error) => error.into(),
                })?;
            unit_of_work.commit().await?;
        }

        Ok(UserView::from(&user))
    }
}

#[cfg(test)]
mod tests {
    use std::any::Any;

    use accounts_domain::UserEmailAddressChanged;

    use super::*;
    use crate::testing::Fakes;

    fn change(user_id: UserId, email: &str) -> ChangeUserEmailAddress {
        ChangeUserEmailAddress {
            user_id,
            email: email.into(),
        }
    }

    #[tokio::test]
    async fn changes_the_email_and_publishes_the_change() {
        let fakes = Fakes::new();
        let ada = fakes.given_user("ada@example.com").await;

        let view = fakes
            .change_email()
            .handle(change(ada, "grace@example.com"))
            .await
            .unwrap();

        assert_eq!(view.email, "grace@example.com");
        assert_eq!(
            fakes.users.get(ada).unwrap().email().as_str(),
            "grace@example.com"
        );
        let published = fakes.users.published();
        let last = published.last().unwrap();
        let changed = (last.as_ref() as &dyn Any)
            .downcast_ref::<UserEmailAddressChanged>()
            .expect("UserEmailAddressChanged");
        assert_eq!(changed.previous.as_str(), "ada@example.com");
    }

    #[tokio::test]
    async fn the_same_email_changes_nothing_and_commits_nothing() {
        let fakes = Fakes::new();
        let ada = fakes.given_user("ada@example.com").await;
        let commits = fakes.users.commits();
        let published = fakes.users.published().len();

        let view = fakes
            .change_email()
            .handle(change(ada, "ada@example.com"))
            .await
            .unwrap();

        assert_eq!(view.email, "ada@example.com");
        assert_eq!(fakes.users.commits(), commits);
        assert_eq!(fakes.users.published().len(), published);
    }

    #[tokio::test]
    async fn refuses_an_address_another_user_has() {
        let fakes = Fakes::new();
        let ada = fakes.given_user("ada@example.com").await;
        fakes.given_user("grace@example.com").await;

        let result = fakes
            .change_email()
            .handle(change(ada, "GRACE@example.com"))
            .await;

        assert!(matches!(
            result,
            Err(ChangeUserEmailAddressError::EmailTaken)
        ));
        assert_eq!(
            fakes.users.get(ada).unwrap().email().as_str(),
            "ada@example.com"
        );
    }

    #[tokio::test]
    async fn refuses_an_invalid_address() {
        let fakes = Fakes::new();
        let ada = fakes.given_user("ada@example.com").await;

        let result = fakes.change_email().handle(change(ada, "nope")).await;

        let Err(ChangeUserEmailAddressError::InvalidInput(invalid)) = result else {
            panic!("expected invalid input, got {result:?}");
        };
        assert_eq!(invalid.violations[0].field, "email");
    }

    #[tokio::test]
    async fn an_unknown_user_is_not_found() {
        let fakes = Fakes::new();

        let result = fakes
            .change_email()
            .handle(change(UserId::new(), "ada@example.com"))
            .await;

        assert!(matches!(
            result,
            Err(ChangeUserEmailAddressError::UserNotFound)
        ));
    }
}
