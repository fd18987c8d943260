use activity_domain::{TrackedProject, TrackedTask};
use platform_database::rows_per_insert;
use projects_contracts::ProjectId;
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel};
use shared_kernel_application::InfrastructureError;

use super::entities::{tracked_project, tracked_task};
use super::mapper::{project_row, task_row};

/// Writes what the context would know of many projects and their tasks at once through
/// `connection` (a transaction the caller commits), for seeding: multi-row `INSERT`s of the
/// records the handler keeps. No entries are written: bulk data is a snapshot, not history,
/// so a seeded project's activity starts empty and fills from the next change on.
pub async fn insert_records<C: ConnectionTrait>(
    connection: &C,
    projects: &[TrackedProject],
    tasks: &[(ProjectId, TrackedTask)],
) -> Result<(), InfrastructureError> {
    for chunk in projects.chunks(rows_per_insert(5)) {
        let rows = chunk
            .iter()
            .map(|project| project_row(project).map(IntoActiveModel::into_active_model))
            .collect::<Result<Vec<_>, _>>()?;
        tracked_project::Entity::insert_many(rows)
            .exec_without_returning(connection)
            .await
            .map_err(InfrastructureError::during(
                "inserting project records in bulk",
            ))?;
    }
    for chunk in tasks.chunks(rows_per_insert(3)) {
        let rows = chunk
            .iter()
            .map(|(project, task)| task_row(*project, task).map(IntoActiveModel::into_active_model))
            .collect::<Result<Vec<_>, _>>()?;
        tracked_task::Entity::insert_many(rows)
            .exec_without_returning(connection)
            .await
            .map_err(InfrastructureError::during(
                "inserting task records in bulk",
            ))?;
    }
    Ok(())
}
