use std::sync::{Arc, Mutex};

use platform_database::{WriteConnection, WriteTransaction};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::EventRef;

use crate::Outbox;

/// The one database transaction of a Unit of Work, and the events its repositories collect
/// from the aggregates they save.
///
/// A context's Unit of Work opens a scope, hands a `participant` to each of its repositories
/// (so that they all write through the same transaction), and commits the scope. The events
/// are written to the outbox in the same transaction, so that they are exactly as durable as
/// the changes that raised them. Dropping the scope without committing rolls the transaction
/// back, events included.
pub struct TransactionScope {
    participant: TransactionParticipant,
    outbox: Outbox,
}

/// What a repository holds: the shared transaction and the shared list of recorded events.
#[derive(Clone)]
pub struct TransactionParticipant {
    transaction: Arc<WriteTransaction>,
    events: Arc<Mutex<Vec<EventRef>>>,
}

impl TransactionScope {
    /// Begins the Unit of Work's transaction.
    pub async fn begin(
        transactions: &WriteConnection,
        outbox: &Outbox,
    ) -> Result<Self, InfrastructureError> {
        let transaction = transactions
            .begin()
            .await
            .map_err(InfrastructureError::during("beginning a transaction"))?;
        Ok(Self {
            participant: TransactionParticipant {
                transaction: Arc::new(transaction),
                events: Arc::default(),
            },
            outbox: outbox.clone(),
        })
    }

    pub fn participant(&self) -> TransactionParticipant {
        self.participant.clone()
    }

    /// Writes the recorded events to the outbox and commits, then delivers the events.
    ///
    /// A scope committed by the one handler of an event being delivered also marks that
    /// event delivered, in the same transaction (`SettlementOffer`).
    ///
    /// Every participant must have been dropped before (the Unit of Work drops its
    /// repositories first). A failing event handler does not undo the commit nor fail the
    /// use case: it is logged, and the relay tries the event again later.
    pub async fn commit(self) -> Result<(), InfrastructureError> {
        let TransactionParticipant {
            transaction,
            events,
        } = self.participant;
        let transaction = Arc::into_inner(transaction).ok_or_else(|| {
            InfrastructureError::new(
                "committing a transaction",
                "a repository still holds the transaction of its unit of work",
            )
        })?;
        let events = std::mem::take(&mut *events.lock().unwrap_or_else(|p| p.into_inner()));
        // The outbox's writes go last, with the commit (in the same write to PostgreSQL).
        let mut last = Vec::with_capacity(3);
        let staged = if events.is_empty() {
            None
        } else {
            let (staged, statements) = self.outbox.stage(&transaction, events)?;
            last.extend(statements);
            Some(staged)
        };
        let settling = self
            .outbox
            .settle_offered(&transaction)
            .map(|(offer, update)| {
                last.push(update);
                offer
            });
        let changed = transaction
            .commit_after(last)
            .await
            .map_err(InfrastructureError::during(
                "writing to the outbox and committing a transaction",
            ))?;
        if let Some(offer) = settling {
            offer.settled();
        }
        if let Some(mut staged) = staged {
            staged.committed(&changed);
            self.outbox.deliver(staged).await;
        }
        Ok(())
    }
}

impl TransactionParticipant {
    /// The transaction to run this repository's statements on.
    pub fn transaction(&self) -> &WriteTransaction {
        &self.transaction
    }

    /// Queues an aggregate's events for the outbox.
    pub fn record_events(&self, recorded: Vec<EventRef>) {
        self.events
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(recorded);
    }
}
