//! The outbox and inbox tables as sea-orm sees them.

pub mod outbox_event {
    use platform_database::DatabaseRow;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
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
        /// The `X-Request-Id` of the request whose command recorded the event, if any.
        pub request_id: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
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
    use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, SimpleExpr};

    pub const PENDING: &str = "pending";
    pub const DELIVERED: &str = "delivered";
    pub const DEAD: &str = "dead";

    /// `status <> 'delivered'`, with the value written out rather than bound: the partial
    /// index on the undelivered events (`event_outbox_undelivered_idx`) serves only a query
    /// whose condition implies the index's, which a parameter of PostgreSQL's generic plan
    /// does not.
    pub fn undelivered(status: impl IntoColumnRef) -> SimpleExpr {
        Expr::col(status).ne(Expr::cust("'delivered'"))
    }

    /// `status = 'delivered'`, written out for the partial index on the delivered events
    /// (`event_outbox_delivered_idx`), as `undelivered` is.
    pub fn delivered(status: impl IntoColumnRef) -> SimpleExpr {
        Expr::col(status).eq(Expr::cust("'delivered'"))
    }
}

use chrono::{DateTime, Utc};

/// `available_at` is stored as Unix milliseconds.
pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}
