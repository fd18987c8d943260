use async_trait::async_trait;
use shared_kernel_application::InfrastructureError;
use shared_kernel_application::idempotency::{ClaimedKey, IdempotentAnswers, StoredAnswer};

use super::rows::answer_update;
use crate::TransactionParticipant;

/// The answers of claimed keys, written through a Unit of Work's transaction: they commit with
/// the command's writes, or roll back with them.
pub struct SeaOrmIdempotentAnswers {
    transaction: TransactionParticipant,
}

impl SeaOrmIdempotentAnswers {
    pub fn new(transaction: TransactionParticipant) -> Self {
        Self { transaction }
    }
}

#[async_trait]
impl IdempotentAnswers for SeaOrmIdempotentAnswers {
    /// On PostgreSQL the update locks the key's row until the commit, so that a request that
    /// would take the key over waits and then finds it answered.
    async fn record(
        &self,
        key: &ClaimedKey,
        answer: &StoredAnswer,
    ) -> Result<(), InfrastructureError> {
        let changed = self
            .transaction
            .transaction()
            .execute(&answer_update(key, answer)?)
            .await
            .map_err(InfrastructureError::during(
                "recording an idempotent answer",
            ))?;
        if changed == 0 {
            return Err(InfrastructureError::new(
                "recording an idempotent answer",
                "the request's claim on its idempotency key ran out, and another request took \
                 the key over",
            ));
        }
        Ok(())
    }
}
