use accounts_application::ports::{UserCredentials, UserQueries, UserView};
use accounts_domain::PasswordHash;
use async_trait::async_trait;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DerivePartialModel, EntityTrait, PaginatorTrait, QueryFilter,
};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::{EmailAddress, UserId};

use super::user_entity::{Column, Entity as Users};

/// The accounts read side: straight from the table into flat read models, selecting only the
/// columns each answer needs.
pub struct SeaOrmUserQueries {
    database: DatabaseConnection,
}

impl SeaOrmUserQueries {
    pub fn new(database: DatabaseConnection) -> Self {
        Self { database }
    }
}

#[derive(DerivePartialModel)]
#[sea_orm(entity = "Users")]
struct UserRow {
    id: uuid::Uuid,
    email: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(DerivePartialModel)]
#[sea_orm(entity = "Users")]
struct CredentialsRow {
    id: uuid::Uuid,
    password_hash: String,
}

#[async_trait]
impl UserQueries for SeaOrmUserQueries {
    async fn get_user(&self, id: UserId) -> Result<Option<UserView>, InfrastructureError> {
        let row = Users::find_by_id(id.as_uuid())
            .into_partial_model::<UserRow>()
            .one(&self.database)
            .await
            .map_err(InfrastructureError::during("reading a user"))?;
        Ok(row.map(|row| UserView {
            id: UserId::from_uuid(row.id),
            email: row.email,
            created_at: row.created_at,
        }))
    }

    async fn find_credentials(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<UserCredentials>, InfrastructureError> {
        let row = Users::find()
            .filter(Column::EmailCanonical.eq(email.canonical()))
            .into_partial_model::<CredentialsRow>()
            .one(&self.database)
            .await
            .map_err(InfrastructureError::during("reading a user's credentials"))?;
        Ok(row.map(|row| UserCredentials {
            id: UserId::from_uuid(row.id),
            password_hash: PasswordHash::new(row.password_hash),
        }))
    }

    async fn user_exists(&self, id: UserId) -> Result<bool, InfrastructureError> {
        let count = Users::find_by_id(id.as_uuid())
            .count(&self.database)
            .await
            .map_err(InfrastructureError::during("checking that a user exists"))?;
        Ok(count > 0)
    }
}
