//! Between `idempotency_keys` rows and the shared kernel's records, and the statements the
//! store and the Unit of Work's answers share.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DeleteMany, EntityTrait, QueryFilter, UpdateMany};
use shared_kernel_application::InfrastructureError;
use shared_kernel_application::idempotency::{
    ClaimedKey, KeyRecord, KeyState, RequestFingerprint, StoredAnswer,
};

use super::entity::{Column, Entity, Model};
use crate::entities::millis;

/// The record a row holds.
pub(super) fn record_of(row: Model) -> Result<KeyRecord, InfrastructureError> {
    let state = match (row.claim, row.lease_until, row.answer_status) {
        (Some(claim), Some(lease_until), None) => KeyState::Running {
            claim,
            lease_until: at(lease_until),
        },
        (None, _, Some(status)) => KeyState::Answered(StoredAnswer {
            status: u16::try_from(status).map_err(InfrastructureError::during(
                "reading an idempotency key's answer",
            ))?,
            headers: match row.answer_headers {
                Some(headers) => serde_json::from_str(&headers).map_err(
                    InfrastructureError::during("reading an idempotency key's answer"),
                )?,
                None => Vec::new(),
            },
            body: row.answer_body.unwrap_or_default(),
        }),
        _ => {
            return Err(InfrastructureError::new(
                "reading an idempotency key",
                "the row is neither claimed nor answered",
            ));
        }
    };
    Ok(KeyRecord {
        fingerprint: RequestFingerprint::new(row.fingerprint),
        state,
        expires_at: at(row.expires_at),
    })
}

fn at(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The statement that answers `key` if its claim still holds it: it changes one row, or none
/// when the claim lapsed and another request took the key over.
pub(super) fn answer_update(
    key: &ClaimedKey,
    answer: &StoredAnswer,
) -> Result<UpdateMany<Entity>, InfrastructureError> {
    let headers = serde_json::to_string(&answer.headers).map_err(InfrastructureError::during(
        "writing an idempotency key's answer",
    ))?;
    Ok(held(Entity::update_many(), key)
        .col_expr(Column::Claim, Expr::value(Option::<uuid::Uuid>::None))
        .col_expr(Column::LeaseUntil, Expr::value(Option::<i64>::None))
        .col_expr(Column::AnswerStatus, Expr::value(i32::from(answer.status)))
        .col_expr(Column::AnswerHeaders, Expr::value(headers))
        .col_expr(Column::AnswerBody, Expr::value(answer.body.clone())))
}

/// The statement that frees `key` if its claim still holds it.
pub(super) fn release_delete(key: &ClaimedKey) -> DeleteMany<Entity> {
    held(Entity::delete_many(), key)
}

/// `query`, for the row `key`'s claim still holds.
fn held<Q: QueryFilter>(query: Q, key: &ClaimedKey) -> Q {
    query
        .filter(Column::Owner.eq(key.owner.as_str()))
        .filter(Column::IdempotencyKey.eq(key.key.as_str()))
        .filter(Column::Claim.eq(key.claim))
}

/// Unix milliseconds, as `lease_until` and `expires_at` are stored.
pub(super) fn stored_millis(at: DateTime<Utc>) -> i64 {
    millis(at)
}
