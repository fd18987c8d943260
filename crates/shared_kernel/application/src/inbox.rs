use async_trait::async_trait;

use crate::{EventId, InfrastructureError};

/// What an event handler has already processed, kept in the same transaction as the
/// handler's own changes.
///
/// Events are delivered at least once: after a crash, a lost lease or a failure of another
/// handler of the same event, a handler sees an event again. Recording the event in the
/// handler's Unit of Work, before changing anything, turns that into exactly one effect: the
/// first delivery commits the record and the change together, every later one finds the
/// record and changes nothing.
#[async_trait]
pub trait Inbox: Send + Sync {
    /// Records that `handler` processes `event`. Returns `false` when it already had: the
    /// handler must then return without changing anything.
    async fn first_delivery(
        &self,
        handler: &'static str,
        event: EventId,
    ) -> Result<bool, InfrastructureError>;
}
