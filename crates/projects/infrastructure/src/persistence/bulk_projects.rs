use platform_database::rows_per_insert;
use projects_domain::Project;
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel};
use shared_kernel_application::InfrastructureError;

use super::entities::{project, task};
use super::mapper::{project_row, task_row};

/// Writes many new projects and their tasks at once through `connection` (a transaction the
/// caller commits), for seeding: multi-row `INSERT`s instead of one Unit of Work per
/// project. The rows are the repository's, from the same mapper, so every counter matches
/// the tasks; the projects' events are not written (bulk data is a snapshot, not history).
pub async fn insert_projects<C: ConnectionTrait>(
    connection: &C,
    projects: &[Project],
) -> Result<(), InfrastructureError> {
    for chunk in projects.chunks(rows_per_insert(11)) {
        let rows = chunk
            .iter()
            .map(|p| project_row(p, p.version()).map(IntoActiveModel::into_active_model))
            .collect::<Result<Vec<_>, _>>()?;
        project::Entity::insert_many(rows)
            .exec_without_returning(connection)
            .await
            .map_err(InfrastructureError::during("inserting projects in bulk"))?;
    }

    let tasks_per_insert = rows_per_insert(12);
    let mut rows = Vec::with_capacity(tasks_per_insert);
    for project in projects {
        for task in project.loaded_tasks() {
            rows.push(task_row(project, task)?.into_active_model());
            if rows.len() == tasks_per_insert {
                insert_tasks(connection, std::mem::take(&mut rows)).await?;
            }
        }
    }
    if !rows.is_empty() {
        insert_tasks(connection, rows).await?;
    }
    Ok(())
}

async fn insert_tasks<C: ConnectionTrait>(
    connection: &C,
    rows: Vec<task::ActiveModel>,
) -> Result<(), InfrastructureError> {
    task::Entity::insert_many(rows)
        .exec_without_returning(connection)
        .await
        .map_err(InfrastructureError::during("inserting tasks in bulk"))?;
    Ok(())
}
