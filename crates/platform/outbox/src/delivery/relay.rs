use std::sync::Arc;
use std::time::Duration;

use shared_kernel_domain::Clock;

use super::{DeliveryReport, EventDelivery, OutboxStore};
use shared_kernel_application::InfrastructureError;

/// Delivers whatever the outbox still holds: events whose in-process delivery crashed,
/// failed, or was never tried. The infrastructure runs `relay_once` in a loop.
pub struct OutboxRelay {
    pub store: Arc<dyn OutboxStore>,
    pub delivery: Arc<EventDelivery>,
    pub clock: Arc<dyn Clock>,
    /// How long a claim keeps other relays off an event. A relay that dies holding claims
    /// only delays those events by this much.
    pub lease: Duration,
    pub batch_size: usize,
}

impl OutboxRelay {
    /// Claims one batch of due events and delivers it.
    pub async fn relay_once(&self) -> Result<DeliveryReport, InfrastructureError> {
        let due = self
            .store
            .claim_due(self.clock.now(), self.lease, self.batch_size)
            .await?;
        Ok(self.delivery.deliver(due).await)
    }
}
