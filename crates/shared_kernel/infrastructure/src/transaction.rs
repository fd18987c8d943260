use std::sync::{Arc, Mutex};

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use shared_kernel_application::{EventPublisher, InfrastructureError, PublishError, error_chain};
use shared_kernel_domain::EventRef;

/// The one database transaction of a Unit of Work, and the events its repositories collect
/// from the aggregates they save.
///
/// A context's Unit of Work opens a scope, hands a `participant` to each of its repositories
/// (so that they all write through the same transaction), and commits the scope. Dropping the
/// scope without committing rolls the transaction back and forgets the events.
pub struct TransactionScope {
    participant: TransactionParticipant,
    publisher: Arc<dyn EventPublisher>,
}

/// What a repository holds: the shared transaction and the shared list of recorded events.
#[derive(Clone)]
pub struct TransactionParticipant {
    transaction: Arc<DatabaseTransaction>,
    events: Arc<Mutex<Vec<EventRef>>>,
}

impl TransactionScope {
    /// Begins a transaction. On SQLite it is `BEGIN IMMEDIATE`: a Unit of Work always
    /// writes, and taking the write lock up front lets concurrent writers queue on the busy
    /// timeout instead of failing when a read lock cannot be upgraded.
    pub async fn begin(
        database: &DatabaseConnection,
        publisher: Arc<dyn EventPublisher>,
    ) -> Result<Self, InfrastructureError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let transaction = database
            .begin_with_options(options)
            .await
            .map_err(InfrastructureError::during("beginning a transaction"))?;
        Ok(Self {
            participant: TransactionParticipant {
                transaction: Arc::new(transaction),
                events: Arc::default(),
            },
            publisher,
        })
    }

    pub fn participant(&self) -> TransactionParticipant {
        self.participant.clone()
    }

    /// Commits, then publishes the recorded events in the order they were recorded.
    ///
    /// Every participant must have been dropped before (the Unit of Work drops its
    /// repositories first). A failing event handler does not undo the commit: it is logged
    /// with its whole error chain, and the use case still succeeds.
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
        transaction
            .commit()
            .await
            .map_err(InfrastructureError::during("committing a transaction"))?;

        let events = std::mem::take(&mut *events.lock().unwrap_or_else(|p| p.into_inner()));
        if !events.is_empty() {
            log_publish_failures(self.publisher.publish(events).await);
        }
        Ok(())
    }
}

impl TransactionParticipant {
    /// The connection to run this repository's statements on.
    pub fn connection(&self) -> &DatabaseTransaction {
        &self.transaction
    }

    /// Queues an aggregate's events for publication after the commit.
    pub fn record_events(&self, recorded: Vec<EventRef>) {
        self.events
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(recorded);
    }
}

fn log_publish_failures(result: Result<(), PublishError>) {
    match result {
        Ok(()) => {}
        Err(PublishError::HandlersFailed(failures)) => {
            for failure in failures {
                tracing::error!(
                    handler = failure.handler,
                    event_type = failure.event_type,
                    error = error_chain(&failure),
                    "an event handler failed after the commit"
                );
            }
        }
        Err(error) => {
            tracing::error!(error = error_chain(&error), "events could not be published");
        }
    }
}
