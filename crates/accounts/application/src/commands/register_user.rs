use std::sync::Arc;

use accounts_domain::{Password, User};
use async_trait::async_trait;
use shared_kernel_application::idempotency::KeyedAnswer;
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
    /// When the request came with an idempotency key: the answer to commit with the user.
    pub keyed_answer: Option<KeyedAnswer<UserView>>,
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
        let view = UserView::from(&user);
        if let Some(keyed_answer) = &command.keyed_answer {
            keyed_answer
                .record(&view, unit_of_work.idempotent_answers())
                .await?;
        }
        unit_of_work.commit().await?;

        Ok(view)
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
            keyed_answer: None,
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

    mod keyed {
        use std::net::{IpAddr, Ipv4Addr};
        use std::sync::Arc;

        use shared_kernel_application::idempotency::{
            Claim, ClaimedKey, IdempotencyKey, IdempotencyKeys, KeyOwner, KeyState, KeyedAnswer,
            KeyedRequest, RequestFingerprint, StoredAnswer,
        };

        use super::*;

        async fn claim(fakes: &Fakes) -> ClaimedKey {
            let request = KeyedRequest {
                owner: KeyOwner::address(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))),
                key: IdempotencyKey::parse(b"sign-up-1").unwrap(),
                fingerprint: RequestFingerprint::new("POST /api/users {}".into()),
            };
            match fakes.users.answers.claim(&request).await.unwrap() {
                Claim::Claimed(claimed) => claimed,
                taken => panic!("the key is taken: {taken:?}"),
            }
        }

        fn answer(user: &UserView) -> StoredAnswer {
            StoredAnswer {
                status: 201,
                headers: vec![("location".into(), "/api/users/me".into())],
                body: user.email.as_bytes().to_vec(),
            }
        }

        fn keyed(email: &str, key: &ClaimedKey) -> RegisterUser {
            RegisterUser {
                keyed_answer: Some(KeyedAnswer::new(
                    key.clone(),
                    Arc::new(|user: &UserView| Ok(answer(user))),
                )),
                ..register(email, "correct horse")
            }
        }

        fn state(fakes: &Fakes, key: &ClaimedKey) -> Option<KeyState> {
            fakes
                .users
                .answers
                .record(&key.owner, &key.key)
                .map(|record| record.state)
        }

        #[tokio::test]
        async fn a_registration_commits_with_its_answer() {
            let fakes = Fakes::new();
            let key = claim(&fakes).await;

            let view = fakes
                .register_user()
                .handle(keyed("ada@example.com", &key))
                .await
                .unwrap();

            assert_eq!(state(&fakes, &key), Some(KeyState::Answered(answer(&view))));
            assert_eq!(fakes.users.count(), 1);
        }

        #[tokio::test]
        async fn a_taken_address_records_no_answer() {
            let fakes = Fakes::new();
            fakes
                .register_user()
                .handle(register("ada@example.com", "correct horse"))
                .await
                .unwrap();
            let key = claim(&fakes).await;

            let result = fakes
                .register_user()
                .handle(keyed("ADA@example.com", &key))
                .await;

            assert!(matches!(result, Err(RegisterUserError::EmailTaken)));
            assert!(matches!(
                state(&fakes, &key),
                Some(KeyState::Running { .. })
            ));
        }

        #[tokio::test]
        async fn a_registration_whose_claim_was_taken_over_stores_no_user() {
            let fakes = Fakes::new();
            let lapsed = claim(&fakes).await;
            fakes.users.answers.release(&lapsed).await.unwrap();
            claim(&fakes).await;

            let result = fakes
                .register_user()
                .handle(keyed("ada@example.com", &lapsed))
                .await;

            assert!(
                matches!(result, Err(RegisterUserError::Infrastructure(_))),
                "{result:?}"
            );
            assert_eq!(fakes.users.count(), 0);
            assert!(fakes.users.published().is_empty());
        }
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
