use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Projects::Table)
                    .col(ColumnDef::new(Projects::Id).uuid().not_null().primary_key())
                    // A user of the accounts context: no foreign key crosses a context boundary.
                    .col(ColumnDef::new(Projects::OwnerId).uuid().not_null())
                    .col(ColumnDef::new(Projects::Name).string_len(100).not_null())
                    .col(
                        ColumnDef::new(Projects::MaxIncompleteTasks)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Projects::LastTaskNumber)
                            .integer()
                            .not_null(),
                    )
                    // Kept by the repository from the aggregate, so that lists never count.
                    .col(ColumnDef::new(Projects::TaskCount).integer().not_null())
                    .col(
                        ColumnDef::new(Projects::IncompleteTaskCount)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Projects::ArchivedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Projects::DeletedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Projects::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Projects::Version).big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        // Lists are an owner's projects in id (creation) order, paged by id.
        manager
            .create_index(
                Index::create()
                    .name("projects_projects_owner_id_id_idx")
                    .table(Projects::Table)
                    .col(Projects::OwnerId)
                    .col(Projects::Id)
                    .to_owned(),
            )
            .await?;
        // The primary key (project, number) is also the index task lists page along.
        manager
            .create_table(
                Table::create()
                    .table(Tasks::Table)
                    .col(ColumnDef::new(Tasks::ProjectId).uuid().not_null())
                    .col(ColumnDef::new(Tasks::Number).integer().not_null())
                    .col(ColumnDef::new(Tasks::Name).string_len(100).not_null())
                    .col(
                        ColumnDef::new(Tasks::CompletedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Tasks::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(Tasks::ProjectId).col(Tasks::Number))
                    .foreign_key(
                        ForeignKey::create()
                            .name("projects_tasks_project_id_fkey")
                            .from(Tasks::Table, Tasks::ProjectId)
                            .to(Projects::Table, Projects::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
    #[sea_orm(iden = "projects_projects")]
    Table,
    Id,
    OwnerId,
    Name,
    MaxIncompleteTasks,
    LastTaskNumber,
    TaskCount,
    IncompleteTaskCount,
    ArchivedAt,
    DeletedAt,
    CreatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Tasks {
    #[sea_orm(iden = "projects_tasks")]
    Table,
    ProjectId,
    Number,
    Name,
    CompletedAt,
    CreatedAt,
}
