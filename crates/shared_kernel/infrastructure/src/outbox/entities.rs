//! The outbox and inbox tables as sea-orm sees them.

pub mod outbox_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "event_outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub sequence: i64,
        pub event_id: Uuid,
        pub event_type: String,
        pub event_version: i32,
        pub aggregate_id: Uuid,
        pub occurred_at: DateTimeUtc,
        pub payload: String,
        pub recorded_at: DateTimeUtc,
        pub status: String,
        pub attempts: i32,
        pub available_at: i64,
        pub claimed_by: Option<Uuid>,
        pub last_error: Option<String>,
        pub delivered_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    impl crate::ReadRow for Model {
        fn from_sqlite_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
            use crate::sqlite_dates::{optional_utc, utc};
            Ok(Self {
                sequence: row.get("sequence")?,
                event_id: row.get("event_id")?,
                event_type: row.get("event_type")?,
                event_version: row.get("event_version")?,
                aggregate_id: row.get("aggregate_id")?,
                occurred_at: utc(row, "occurred_at")?,
                payload: row.get("payload")?,
                recorded_at: utc(row, "recorded_at")?,
                status: row.get("status")?,
                attempts: row.get("attempts")?,
                available_at: row.get("available_at")?,
                claimed_by: row.get("claimed_by")?,
                last_error: row.get("last_error")?,
                delivered_at: optional_utc(row, "delivered_at")?,
            })
        }
    }
}

pub mod inbox_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "event_inbox")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub handler: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub event_id: Uuid,
        pub processed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The values of `event_outbox.status`.
pub mod status {
    pub const PENDING: &str = "pending";
    pub const DELIVERED: &str = "delivered";
    pub const DEAD: &str = "dead";
}

use chrono::{DateTime, Utc};

/// `available_at` is stored as Unix milliseconds.
pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}
