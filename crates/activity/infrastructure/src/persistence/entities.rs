//! The activity tables as sea-orm sees them. Only the mapper, the repositories and the
//! queries use them: the domain's types never derive anything from sea-orm.

/// `activity_projects`: what the context knows of each project it heard created.
pub mod tracked_project {
    use platform_database::DatabaseRow;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
    #[sea_orm(table_name = "activity_projects")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: Uuid,
        /// A user of the accounts context, learned from `ProjectCreated`.
        pub owner_id: Uuid,
        pub name: Option<String>,
        pub max_incomplete_tasks: Option<i32>,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `activity_tasks`: the name of each task the context heard added.
pub mod tracked_task {
    use platform_database::DatabaseRow;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
    #[sea_orm(table_name = "activity_tasks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub number: i32,
        pub name: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `activity_entries`: one row per event heard, never changed.
pub mod entry {
    use platform_database::DatabaseRow;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
    #[sea_orm(table_name = "activity_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: Uuid,
        /// The id of the event the entry tells of.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub owner_id: Uuid,
        /// The entry's kind, `task_completed`.
        pub event_type: String,
        pub task_number: Option<i32>,
        pub summary: String,
        pub occurred_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
