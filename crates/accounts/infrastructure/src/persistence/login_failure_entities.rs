//! The `accounts_login_failures` and `accounts_login_failure_hours` tables as sea-orm sees
//! them.

pub mod in_a_row {
    use platform_database::DatabaseRow;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
    #[sea_orm(table_name = "accounts_login_failures")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub address: String,
        pub consecutive: i32,
        pub last_failure_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod hour {
    use platform_database::DatabaseRow;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
    #[sea_orm(table_name = "accounts_login_failure_hours")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account: String,
        pub failures: i32,
        pub started_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
