//! The `accounts_sessions` and `accounts_refresh_tokens` tables as sea-orm sees them. Only the
//! mapper, the repository and the queries use them.

pub mod session {
    use platform_database::DatabaseRow;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
    #[sea_orm(table_name = "accounts_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        pub refresh_token_hash: String,
        pub user_agent: Option<String>,
        pub created_at: DateTimeUtc,
        pub last_used_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub ended_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod refresh_token {
    use platform_database::DatabaseRow;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
    #[sea_orm(table_name = "accounts_refresh_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub session_id: Uuid,
        pub issued_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
