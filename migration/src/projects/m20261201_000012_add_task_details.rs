use sea_orm_migration::prelude::*;

/// What a task carries besides its name (issue #18): a description, a due date, a priority,
/// labels, and when it last changed; its project's owner, copied from the project (an owner
/// never changes), so that the list of all of a user's tasks is one index; and the indexes
/// of the views that sort by them.
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
    OwnerId,
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
const OPEN_BY_DUE_INDEX: &str = "projects_tasks_open_by_owner_and_due_idx";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ColumnDef::new(Tasks::OwnerId).uuid().null().to_owned(),
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
        let connection = manager.get_connection();
        connection
            .execute_unprepared(
                "UPDATE projects_tasks SET owner_id = (SELECT owner_id FROM projects_projects \
                 WHERE projects_projects.id = projects_tasks.project_id)",
            )
            .await?;
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
        // The caller's open tasks across their projects, soonest due first and those without
        // a due date last (`GET /api/tasks`' default view): read in index order, a page
        // costs the same however many tasks the user has. `due_at IS NULL` is a column of
        // the index because SQLite sorts nulls first; both databases take this statement.
        connection
            .execute_unprepared(&format!(
                "CREATE INDEX {OPEN_BY_DUE_INDEX} ON projects_tasks \
                 (owner_id, (due_at IS NULL), due_at, project_id, number) \
                 WHERE completed_at IS NULL"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [OPEN_BY_DUE_INDEX, DUE_INDEX, PRIORITY_INDEX] {
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
            Tasks::OwnerId,
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
