use sea_orm_migration::prelude::*;

/// What a task carries besides its name (issue #18): a description, a due date, a priority,
/// labels, and when it last changed; and the indexes of the views that sort by them.
///
/// Every new column reads as "none" in the rows already there (no description, no due date,
/// priority 0 = none, no labels), so nothing is rewritten for them; `updated_at` starts as
/// the last thing that happened to each task (its completion, or else its creation).
/// SQLite adds one column per `ALTER TABLE`, so each is its own statement.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tasks {
    #[sea_orm(iden = "projects_tasks")]
    Table,
    ProjectId,
    Description,
    DueAt,
    Priority,
    Labels,
    CompletedAt,
    CreatedAt,
    UpdatedAt,
}

const DUE_INDEX: &str = "projects_tasks_project_id_due_at_idx";
const PRIORITY_INDEX: &str = "projects_tasks_project_id_priority_idx";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ColumnDef::new(Tasks::Description).text().null().to_owned(),
            ColumnDef::new(Tasks::DueAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Tasks::Priority)
                .small_integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(Tasks::Labels)
                .text()
                .not_null()
                .default("")
                .to_owned(),
            ColumnDef::new(Tasks::UpdatedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Tasks::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        let updated_at = Query::update()
            .table(Tasks::Table)
            .value(
                Tasks::UpdatedAt,
                Func::if_null(Expr::col(Tasks::CompletedAt), Expr::col(Tasks::CreatedAt)),
            )
            .to_owned();
        manager.exec_stmt(updated_at).await?;
        // A project's tasks by due date, and by priority: the sorts a view asks for most.
        for (name, column) in [(DUE_INDEX, Tasks::DueAt), (PRIORITY_INDEX, Tasks::Priority)] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Tasks::Table)
                        .col(Tasks::ProjectId)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [DUE_INDEX, PRIORITY_INDEX] {
            manager
                .drop_index(Index::drop().name(name).table(Tasks::Table).to_owned())
                .await?;
        }
        for column in [
            Tasks::UpdatedAt,
            Tasks::Labels,
            Tasks::Priority,
            Tasks::DueAt,
            Tasks::Description,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Tasks::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
