//! The projects tables as sea-orm sees them. Only the mapper, the repository and the queries
//! use them: the domain's types never derive anything from sea-orm.

pub mod project {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "projects_projects")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub owner_id: Uuid,
        pub name: String,
        pub max_incomplete_tasks: Option<i32>,
        pub last_task_number: i32,
        pub task_count: i32,
        pub incomplete_task_count: i32,
        pub archived_at: Option<DateTimeUtc>,
        pub deleted_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub version: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    impl shared_kernel_infrastructure::ReadRow for Model {
        fn from_sqlite_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
            use shared_kernel_infrastructure::sqlite_dates::{optional_utc, utc};
            Ok(Self {
                id: row.get("id")?,
                owner_id: row.get("owner_id")?,
                name: row.get("name")?,
                max_incomplete_tasks: row.get("max_incomplete_tasks")?,
                last_task_number: row.get("last_task_number")?,
                task_count: row.get("task_count")?,
                incomplete_task_count: row.get("incomplete_task_count")?,
                archived_at: optional_utc(row, "archived_at")?,
                deleted_at: optional_utc(row, "deleted_at")?,
                created_at: utc(row, "created_at")?,
                version: row.get("version")?,
            })
        }
    }
}

pub mod task {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "projects_tasks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub number: i32,
        pub name: String,
        pub completed_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    impl shared_kernel_infrastructure::ReadRow for Model {
        fn from_sqlite_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
            use shared_kernel_infrastructure::sqlite_dates::{optional_utc, utc};
            Ok(Self {
                project_id: row.get("project_id")?,
                number: row.get("number")?,
                name: row.get("name")?,
                completed_at: optional_utc(row, "completed_at")?,
                created_at: utc(row, "created_at")?,
            })
        }
    }
}
