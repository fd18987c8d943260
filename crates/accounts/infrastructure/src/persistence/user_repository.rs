use accounts_application::ports::{SaveUserError, UserRepository};
use accounts_domain::User;
use async_trait::async_trait;
use platform_database::WriteError;
use platform_outbox::TransactionParticipant;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::{AggregateRoot, UserId};

use super::user_entity::{ActiveModel, Column, Entity as Users, Model};

/// Users, loaded and saved through the transaction of the Unit of Work that owns this
/// repository.
pub struct SeaOrmUserRepository {
    pub(super) transaction: TransactionParticipant,
}

#[async_trait]
impl UserRepository for SeaOrmUserRepository {
    async fn get(&self, id: UserId) -> Result<Option<User>, InfrastructureError> {
        self.transaction
            .transaction()
            .find_unique::<_, Model>(Users::find_by_id(id.as_uuid()))
            .await
            .map_err(InfrastructureError::during("loading a user"))?
            .map(User::try_from)
            .transpose()
    }

    async fn add(&self, user: &mut User) -> Result<(), SaveUserError> {
        self.transaction
            .transaction()
            .execute(&Users::insert(ActiveModel::from(&*user)))
            .await
            .map_err(save_error("adding a user"))?;
        self.transaction.record_events(user.take_events());
        Ok(())
    }

    async fn update(&self, user: &mut User) -> Result<(), SaveUserError> {
        let update = Users::update_many()
            .set(ActiveModel::from(&*user).reset_all())
            .filter(Column::Id.eq(user.id().as_uuid()));
        let updated = self
            .transaction
            .transaction()
            .execute(&update)
            .await
            .map_err(save_error("updating a user"))?;
        if updated != 1 {
            return Err(SaveUserError::Infrastructure(InfrastructureError::new(
                "updating a user",
                "the user's row is gone",
            )));
        }
        self.transaction.record_events(user.take_events());
        Ok(())
    }
}

/// The unique index on the canonical email is what decides that an address is taken, so that
/// two racing registrations cannot both succeed.
fn save_error(context: &'static str) -> impl FnOnce(WriteError) -> SaveUserError {
    move |error| {
        if error.is_unique_violation() {
            SaveUserError::EmailTaken
        } else {
            SaveUserError::Infrastructure(InfrastructureError::new(context, error))
        }
    }
}
