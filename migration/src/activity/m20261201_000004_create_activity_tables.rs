use sea_orm_migration::prelude::*;

/// What the activity context knows of each project and task (learned from the projects
/// context's events), and an entry per event it heard.
///
/// Every projects command writes to these tables, on SQLite's one writer. So on SQLite they are
/// `WITHOUT ROWID` tables, clustered on their primary keys: a row is written once, in its
/// key's B-tree, instead of in a rowid table and again in the key's index (two pages fewer
/// per command, docs/benchmarks.md).
#[derive(DeriveMigrationName)]
pub struct Migration;

/// `WITHOUT ROWID` on SQLite; PostgreSQL's tables need nothing of the kind.
fn clustered(manager: &SchemaManager, table: &mut TableCreateStatement) -> TableCreateStatement {
    if manager.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Sqlite {
        table.extra("WITHOUT ROWID");
    }
    table.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(clustered(
                manager,
                Table::create()
                    .table(Projects::Table)
                    // A project of the projects context: no foreign key crosses a context
                    // boundary.
                    .col(
                        ColumnDef::new(Projects::ProjectId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Projects::OwnerId).uuid().not_null())
                    // Unknown for a project whose creation event carried no name.
                    .col(ColumnDef::new(Projects::Name).string_len(100).null())
                    .col(
                        ColumnDef::new(Projects::MaxIncompleteTasks)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Projects::DeletedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    ),
            ))
            .await?;
        // A user's activity reads their projects that are not deleted.
        manager
            .create_index(
                Index::create()
                    .name("activity_projects_owner_id_idx")
                    .table(Projects::Table)
                    .col(Projects::OwnerId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(clustered(
                manager,
                Table::create()
                    .table(Tasks::Table)
                    .col(ColumnDef::new(Tasks::ProjectId).uuid().not_null())
                    .col(ColumnDef::new(Tasks::Number).integer().not_null())
                    .col(ColumnDef::new(Tasks::Name).string_len(100).null())
                    .primary_key(Index::create().col(Tasks::ProjectId).col(Tasks::Number))
                    .foreign_key(
                        ForeignKey::create()
                            .name("activity_tasks_project_id_fkey")
                            .from(Tasks::Table, Tasks::ProjectId)
                            .to(Projects::Table, Projects::ProjectId)
                            .on_delete(ForeignKeyAction::Cascade),
                    ),
            ))
            .await?;
        manager
            .create_table(clustered(
                manager,
                Table::create()
                    .table(Entries::Table)
                    .col(ColumnDef::new(Entries::ProjectId).uuid().not_null())
                    // The id of the event the entry tells of: UUIDv7, in recording order.
                    .col(ColumnDef::new(Entries::Id).uuid().not_null())
                    .col(ColumnDef::new(Entries::OwnerId).uuid().not_null())
                    .col(ColumnDef::new(Entries::EventType).string_len(40).not_null())
                    .col(ColumnDef::new(Entries::TaskNumber).integer().null())
                    .col(ColumnDef::new(Entries::Summary).text().not_null())
                    .col(
                        ColumnDef::new(Entries::OccurredAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // A project's entries, newest first, paged by id: the key itself.
                    .primary_key(Index::create().col(Entries::ProjectId).col(Entries::Id)),
            ))
            .await?;
        // A user's entries, newest first, paged by id.
        manager
            .create_index(
                Index::create()
                    .name("activity_entries_owner_id_id_idx")
                    .table(Entries::Table)
                    .col(Entries::OwnerId)
                    .col(Entries::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Entries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Tasks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Projects::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Projects {
    #[sea_orm(iden = "activity_projects")]
    Table,
    ProjectId,
    OwnerId,
    Name,
    MaxIncompleteTasks,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Tasks {
    #[sea_orm(iden = "activity_tasks")]
    Table,
    ProjectId,
    Number,
    Name,
}

#[derive(DeriveIden)]
enum Entries {
    #[sea_orm(iden = "activity_entries")]
    Table,
    Id,
    ProjectId,
    OwnerId,
    EventType,
    TaskNumber,
    Summary,
    OccurredAt,
}
