//! Translates between the `User` aggregate and rows of `accounts_users`.

use accounts_domain::{PasswordHash, User};
use sea_orm::ActiveValue::Set;
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::{EmailAddress, UserId};

use super::user_entity::{ActiveModel, Model};

impl From<&User> for ActiveModel {
    fn from(user: &User) -> Self {
        ActiveModel {
            id: Set(user.id().as_uuid()),
            email: Set(user.email().as_str().to_owned()),
            email_canonical: Set(user.email().canonical().to_owned()),
            password_hash: Set(user.password_hash().as_str().to_owned()),
            created_at: Set(user.created_at()),
        }
    }
}

impl TryFrom<Model> for User {
    type Error = InfrastructureError;

    /// A stored row breaks a domain rule only if the table was changed behind the
    /// application's back: that is an infrastructure failure, not a client's mistake.
    fn try_from(row: Model) -> Result<Self, Self::Error> {
        let email = EmailAddress::parse(&row.email).map_err(InfrastructureError::during(
            "reading a stored user's email address",
        ))?;
        Ok(User::restore(
            UserId::from_uuid(row.id),
            email,
            PasswordHash::new(row.password_hash),
            row.created_at,
        ))
    }
}
