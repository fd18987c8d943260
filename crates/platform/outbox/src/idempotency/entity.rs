//! `idempotency_keys` as sea-orm sees it.

use platform_database::DatabaseRow;
use sea_orm::entity::prelude::*;

/// One owner's key: claimed by a running request (`claim`, `lease_until`) or answered
/// (`answer_*`), never both.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    /// `user:<uuid>` or `address:<ip>`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub idempotency_key: String,
    /// The edge's digest of the request's method, path and body.
    pub fingerprint: String,
    pub claim: Option<Uuid>,
    /// Unix milliseconds.
    pub lease_until: Option<i64>,
    pub answer_status: Option<i32>,
    /// The answer's headers as a JSON array of `[name, value]` pairs.
    pub answer_headers: Option<String>,
    pub answer_body: Option<Vec<u8>>,
    pub created_at: DateTimeUtc,
    /// Unix milliseconds: when the key is free again, and the purge may delete it.
    pub expires_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
