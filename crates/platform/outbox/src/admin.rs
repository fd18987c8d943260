use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entities::outbox_event::{Column, Entity, Model};
use crate::entities::{millis, status};

/// What an operator does with the outbox (`api outbox list|retry`): look at the events that
/// are waiting or dead, and put dead ones back in the queue once the cause is fixed.
pub struct OutboxAdmin {
    database: DatabaseConnection,
}

/// Which events to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxFilter {
    Dead,
    Pending,
    All,
}

/// One stored event and where its delivery stands.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub sequence: i64,
    pub event_id: Uuid,
    pub event_type: String,
    pub event_version: i32,
    pub aggregate_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

impl OutboxEntry {
    /// The event in its documented JSON shape (docs/events.md), as a broker would carry it.
    pub fn envelope(&self) -> Value {
        json!({
            "id": self.event_id,
            "type": self.event_type,
            "version": self.event_version,
            "aggregateId": self.aggregate_id,
            "occurredAt": self.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "payload": serde_json::from_str::<Value>(&self.payload)
                .unwrap_or_else(|_| Value::String(self.payload.clone())),
        })
    }
}

impl From<Model> for OutboxEntry {
    fn from(row: Model) -> Self {
        Self {
            sequence: row.sequence,
            event_id: row.event_id,
            event_type: row.event_type,
            event_version: row.event_version,
            aggregate_id: row.aggregate_id,
            occurred_at: row.occurred_at,
            payload: row.payload,
            status: row.status,
            attempts: row.attempts,
            last_error: row.last_error,
        }
    }
}

impl OutboxAdmin {
    pub fn new(database: DatabaseConnection) -> Self {
        Self { database }
    }

    /// The oldest `limit` events that match `filter`, in recording order.
    pub async fn list(&self, filter: OutboxFilter, limit: u64) -> Result<Vec<OutboxEntry>, DbErr> {
        let query = Entity::find().order_by_asc(Column::Sequence).limit(limit);
        let query = match filter {
            OutboxFilter::Dead => query.filter(Column::Status.eq(status::DEAD)),
            OutboxFilter::Pending => query.filter(Column::Status.eq(status::PENDING)),
            OutboxFilter::All => query,
        };
        Ok(query
            .all(&self.database)
            .await?
            .into_iter()
            .map(OutboxEntry::from)
            .collect())
    }

    /// Puts dead events back in the queue with a fresh budget of attempts, due at once:
    /// the ones in `ids`, or every dead event when `ids` is `None`. Returns how many.
    pub async fn requeue(&self, ids: Option<&[Uuid]>, now: DateTime<Utc>) -> Result<u64, DbErr> {
        let update = Entity::update_many()
            .col_expr(Column::Status, Expr::val(status::PENDING))
            .col_expr(Column::Attempts, Expr::val(0))
            .col_expr(Column::AvailableAt, Expr::val(millis(now)))
            .col_expr(Column::ClaimedBy, Expr::val(Option::<Uuid>::None))
            .filter(Column::Status.eq(status::DEAD));
        let update = match ids {
            Some(ids) => update.filter(Column::EventId.is_in(ids.iter().copied())),
            None => update,
        };
        Ok(update.exec(&self.database).await?.rows_affected)
    }
}
