use accounts_domain::User;
use platform_database::rows_per_insert;
use sea_orm::{ConnectionTrait, EntityTrait};
use shared_kernel_application::InfrastructureError;

use super::user_entity::{ActiveModel, Entity};

/// Writes many new users at once through `connection` (a transaction the caller commits),
/// for seeding: multi-row `INSERT`s instead of one Unit of Work per user.
///
/// Their `UserAccountCreated` events are not written to the outbox. Bulk data is a snapshot,
/// not history; whatever a handler would have done (the starter project) the caller writes
/// itself.
pub async fn insert_users<C: ConnectionTrait>(
    connection: &C,
    users: &[User],
) -> Result<(), InfrastructureError> {
    for chunk in users.chunks(rows_per_insert(5)) {
        Entity::insert_many(chunk.iter().map(ActiveModel::from))
            .exec_without_returning(connection)
            .await
            .map_err(InfrastructureError::during("inserting users in bulk"))?;
    }
    Ok(())
}
