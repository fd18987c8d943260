//! The projects tables as sea-orm sees them. Only the mapper, the repository and the queries
//! use them: the domain's types never derive anything from sea-orm.

pub mod project {
    use platform_database::DatabaseRow;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
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
}

pub mod task {
    use platform_database::DatabaseRow;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
    #[sea_orm(table_name = "projects_tasks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub number: i32,
        /// The project's owner, copied (it never changes): the list of all of a user's tasks
        /// reads one index. Null only in a row written before the column by a build that
        /// did not know it; its migration filled it in.
        pub owner_id: Option<Uuid>,
        pub name: String,
        pub description: Option<String>,
        pub due_at: Option<DateTimeUtc>,
        /// `TaskPriority::rank`: 0 (none) to 4 (urgent), so that it sorts.
        pub priority: i16,
        /// The labels between commas, `,home,work,` (`""` for none), so that "has the label
        /// `home`" is `labels LIKE '%,home,%'` (a label holds no comma).
        pub labels: String,
        pub completed_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        /// Null only in rows older than the column, which its migration filled in.
        pub updated_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
