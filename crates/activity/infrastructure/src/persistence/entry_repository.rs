use activity_application::ports::EntryRepository;
use activity_domain::Entry;
use async_trait::async_trait;
use platform_outbox::TransactionParticipant;
use sea_orm::{EntityTrait, IntoActiveModel};
use shared_kernel_application::InfrastructureError;

use super::entities::entry;
use super::mapper::entry_row;

/// The entries, written through the transaction of the Unit of Work that owns this
/// repository.
pub struct SeaOrmEntries {
    pub(super) transaction: TransactionParticipant,
}

#[async_trait]
impl EntryRepository for SeaOrmEntries {
    async fn add(&self, entry: &Entry) -> Result<(), InfrastructureError> {
        let row = entry_row(entry)?.into_active_model();
        self.transaction
            .transaction()
            .execute(&entry::Entity::insert(row))
            .await
            .map_err(InfrastructureError::during("adding an activity entry"))?;
        Ok(())
    }
}
