use std::sync::Arc;

use accounts_domain::{Password, User};
use async_trait::async_trait;
use shared_kernel_application::{
    BusError, Command, CommandHandler, InfrastructureError, InvalidInput,
};
use shared_kernel_domain::{Clock, EmailAddress, UserId};

use crate::ports::{AccountsUnitOfWorkFactory, PasswordHasher, SaveUserError, UserView};

/// Registers a new user. Raises `UserAccountCreated`, whatever other contexts do with it.
#[derive(Debug)]
pub struct RegisterUser {
    pub email: String,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterUserError {
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    #[error("the email address is already taken")]
    EmailTaken,
    #[error("registering a user failed")]
    Infrastructure(#[from] InfrastructureError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

impl Command for RegisterUser {
    type Output = UserView;
    type Error = RegisterUserError;
}

pub struct RegisterUserHandler {
    pub unit_of_work: Arc<AccountsUnitOfWorkFactory>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl CommandHandler<RegisterUser> for RegisterUserHandler {
    async fn handle(&self, command: RegisterUser) -> Result<UserView, RegisterUserError> {
        let (email, password) = InvalidInput::check2(
            ("email", EmailAddress::parse(&command.email)),
            ("password", Password::new(command.password)),
        )?;
        // Hash before the transaction opens: it takes a quarter of a second on purpose, and
        // the database's write lock should not wait for it.
        let password_hash = self.hasher.hash(&password).await?;

        let mut user = User::register(UserId::new(), email, password_hash, self.clock.now());
        let unit_of_work = self.unit_of_work.begin().await?;
        unit_of_work
            .users()
            .add(&mut user)
            .await
            .map_err(|error| match error {
                SaveUserError::EmailTaken => RegisterUserError::EmailTaken,
                SaveUserError::Infrastructure(error) => error.into(),
            })?;
        unit_of_work.commit().await?;

        Ok(UserView::from(&user))
    }
}

#[cfg(test)]
mod tests {
    use std::any::Any;

    use accounts_contracts::UserAccountCreated;

    use super::*;
    use crate::testing::Fakes;

    fn register(email: &str, password: &str) -> RegisterUser {
        RegisterUser {
            email: email.into(),
            password: password.into(),
        }
    }

    #[tokio::test]
    async fn registers_a_user_with_a_hashed_password_and_commits() {
        let fakes = Fakes::new();

        let view = fakes
            .register_user()
            .handle(register(" Ada@Example.com ", "correct horse"))
            .await
            .unwrap();

        assert_eq!(view.email, "Ada@Example.com");
        assert_eq!(view.created_at, fakes.now());
        let stored = fakes.users.get(view.id).expect("the user is stored");
        assert_eq!(stored.password_hash().as_str(), "hashed:correct horse");
        assert_eq!(fakes.users.commits(), 1);
    }

    #[tokio::test]
    async fn publishes_user_account_created_after_the_commit() {
        let fakes = Fakes::new();

        let view = fakes
            .register_user()
            .handle(register("ada@example.com", "correct horse"))
            .await
            .unwrap();

        let published = fakes.users.published();
        assert_eq!(published.len(), 1);
        let event = (published[0].as_ref() as &dyn Any)
            .downcast_ref::<UserAccountCreated>()
            .expect("UserAccountCreated");
        assert_eq!(event.user_id, view.id);
        assert_eq!(event.email.as_str(), "ada@example.com");
    }

    #[tokio::test]
    async fn refuses_an_email_taken_in_another_case_and_publishes_nothing() {
        let fakes = Fakes::new();
        fakes
            .register_user()
            .handle(register("ada@example.com", "correct horse"))
            .await
            .unwrap();

        let result = fakes
            .register_user()
            .handle(register("ADA@example.com", "another password"))
            .await;

        assert!(matches!(result, Err(RegisterUserError::EmailTaken)));
        assert_eq!(fakes.users.count(), 1);
        assert_eq!(fakes.users.published().len(), 1);
        assert_eq!(fakes.users.commits(), 1);
    }

    #[tokio::test]
    async fn reports_every_invalid_field_and_stores_nothing() {
        let fakes = Fakes::new();

        let result = fakes
            .register_user()
            .handle(register("not-an-email", "short"))
            .await;

        let Err(RegisterUserError::InvalidInput(invalid)) = result else {
            panic!("expected invalid input, got {result:?}");
        };
        let fields: Vec<_> = invalid.violations.iter().map(|v| v.field).collect();
        assert_eq!(fields, vec!["email", "password"]);
        assert_eq!(fakes.users.count(), 0);
        assert!(fakes.users.published().is_empty());
    }

    #[tokio::test]
    async fn refuses_a_password_longer_than_72_bytes() {
        let fakes = Fakes::new();

        let result = fakes
            .register_user()
            .handle(register("ada@example.com", &"a".repeat(73)))
            .await;

        let Err(RegisterUserError::InvalidInput(invalid)) = result else {
            panic!("expected invalid input, got {result:?}");
        };
        assert_eq!(invalid.violations[0].field, "password");
        assert_eq!(fakes.users.count(), 0);
    }
}
