use async_trait::async_trait;
use sea_orm::{ActiveValue::Set, EntityTrait};
use shared_kernel_application::{EventId, Inbox, InfrastructureError};
use shared_kernel_domain::Clock;

use shared_kernel_infrastructure::SystemClock;

use crate::TransactionParticipant;
use crate::entities::inbox_entry;

/// The inbox, written through a Unit of Work's transaction.
///
/// The primary key (handler, event id) does the work: the first delivery inserts the row,
/// a later one finds it there (`ON CONFLICT DO NOTHING` inserts nothing). Two concurrent
/// deliveries of one event on PostgreSQL queue on the key: the second waits for the first
/// to commit and then inserts nothing.
pub struct SeaOrmInbox {
    transaction: TransactionParticipant,
}

impl SeaOrmInbox {
    pub fn new(transaction: TransactionParticipant) -> Self {
        Self { transaction }
    }
}

#[async_trait]
impl Inbox for SeaOrmInbox {
    async fn first_delivery(
        &self,
        handler: &'static str,
        event: EventId,
    ) -> Result<bool, InfrastructureError> {
        let entry = inbox_entry::ActiveModel {
            handler: Set(handler.to_string()),
            event_id: Set(event.as_uuid()),
            processed_at: Set(SystemClock.now()),
        };
        let inserted = self
            .transaction
            .transaction()
            .execute(&inbox_entry::Entity::insert(entry).on_conflict_do_nothing())
            .await
            .map_err(InfrastructureError::during(
                "recording an event in the inbox",
            ))?;
        Ok(inserted > 0)
    }
}
