use accounts_application::ports::{SaveUserError, UserRepository};
use accounts_domain::User;
use async_trait::async_trait;
use sea_orm::{ActiveModelTrait, DbErr, EntityTrait, SqlErr};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::{AggregateRoot, UserId};
use shared_kernel_infrastructure::{TransactionParticipant, find_unique};

use super::user_entity::{ActiveModel, Entity as Users};

/// Users, loaded and saved through the transaction of the Unit of Work that owns this
/// repository.
pub struct SeaOrmUserRepository {
    pub(super) transaction: TransactionParticipant,
}

#[async_trait]
impl UserRepository for SeaOrmUserRepository {
    async fn get(&self, id: UserId) -> Result<Option<User>, InfrastructureError> {
        find_unique(
            Users::find_by_id(id.as_uuid()),
            self.transaction.connection(),
        )
        .await
        .map_err(InfrastructureError::during("loading a user"))?
        .map(User::try_from)
        .transpose()
    }

    async fn add(&self, user: &mut User) -> Result<(), SaveUserError> {
        ActiveModel::from(&*user)
            .insert(self.transaction.connection())
            .await
            .map_err(save_error("adding a user"))?;
        self.transaction.record_events(user.take_events());
        Ok(())
    }

    async fn update(&self, user: &mut User) -> Result<(), SaveUserError> {
        ActiveModel::from(&*user)
            .reset_all()
            .update(self.transaction.connection())
            .await
            .map_err(save_error("updating a user"))?;
        self.transaction.record_events(user.take_events());
        Ok(())
    }
}

/// The unique index on the canonical email is what decides that an address is taken, so that
/// two racing registrations cannot both succeed.
fn save_error(context: &'static str) -> impl FnOnce(DbErr) -> SaveUserError {
    move |error| match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => SaveUserError::EmailTaken,
        _ => SaveUserError::Infrastructure(InfrastructureError::new(context, error)),
    }
}
