use accounts_application::ports::{StoredPassword, UserCredentials, UserQueries, UserView};
use accounts_domain::PasswordHash;
use async_trait::async_trait;
use platform_database::{DatabaseRow, ReadConnection};
use sea_orm::{ColumnTrait, DerivePartialModel, EntityTrait, QueryFilter};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::{EmailAddress, UserId};

use super::user_entity::{Column, Entity as Users};

/// The accounts read side: straight from the table into flat read models, selecting only the
/// columns each answer needs. sea-orm builds the queries; the `ReadConnection` runs them,
/// through sea-orm's pool or on SQLite's reader threads (ADR 0013).
pub struct SeaOrmUserQueries {
    database: ReadConnection,
}

impl SeaOrmUserQueries {
    pub fn new(database: ReadConnection) -> Self {
        Self { database }
    }
}

#[derive(DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "Users")]
struct UserRow {
    id: uuid::Uuid,
    email: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "Users")]
struct CredentialsRow {
    id: uuid::Uuid,
    password_hash: String,
}

#[derive(DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "Users")]
struct StoredPasswordRow {
    email: String,
    password_hash: String,
}

#[derive(DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "Users")]
struct UserIdRow {
    #[allow(dead_code)] // Selected so that the row exists; only its presence is read.
    id: uuid::Uuid,
}

#[async_trait]
impl UserQueries for SeaOrmUserQueries {
    async fn get_user(&self, id: UserId) -> Result<Option<UserView>, InfrastructureError> {
        let row: Option<UserRow> = self
            .database
            .one("reading a user", Users::find_by_id(id.as_uuid()))
            .await?;
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
        let query = Users::find().filter(Column::EmailCanonical.eq(email.canonical()));
        let row: Option<CredentialsRow> = self
            .database
            .one("reading a user's credentials", query)
            .await?;
        Ok(row.map(|row| UserCredentials {
            id: UserId::from_uuid(row.id),
            password_hash: PasswordHash::new(row.password_hash),
        }))
    }

    async fn stored_password(
        &self,
        id: UserId,
    ) -> Result<Option<StoredPassword>, InfrastructureError> {
        let row: Option<StoredPasswordRow> = self
            .database
            .one(
                "reading a user's password hash",
                Users::find_by_id(id.as_uuid()),
            )
            .await?;
        Ok(row.map(|row| StoredPassword {
            email: row.email,
            password_hash: PasswordHash::new(row.password_hash),
        }))
    }

    async fn user_exists(&self, id: UserId) -> Result<bool, InfrastructureError> {
        let row: Option<UserIdRow> = self
            .database
            .one(
                "checking that a user exists",
                Users::find_by_id(id.as_uuid()),
            )
            .await?;
        Ok(row.is_some())
    }
}
