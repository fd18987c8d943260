use std::collections::HashMap;
use std::sync::Mutex;

use activity_application::ports::TrackedProjectRepository;
use activity_domain::TrackedProject;
use async_trait::async_trait;
use platform_outbox::TransactionParticipant;
use projects_contracts::{ProjectId, TaskNumber};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use shared_kernel_application::InfrastructureError;

use super::entities::{tracked_project, tracked_task};
use super::mapper::{project_from_rows, project_row, task_row};

/// The project records, loaded with at most the one task a change names, and saved through
/// the transaction of the Unit of Work that owns this repository.
///
/// It remembers the rows it loaded, so that `update` writes only what changed: most changes
/// (a task completed, a project archived) change no record at all, only add an entry.
pub struct SeaOrmTrackedProjects {
    pub(super) transaction: TransactionParticipant,
    pub(super) loaded: Mutex<HashMap<ProjectId, Loaded>>,
}

/// The rows `get` read.
pub(super) struct Loaded {
    project: tracked_project::Model,
    task: Option<tracked_task::Model>,
}

#[async_trait]
impl TrackedProjectRepository for SeaOrmTrackedProjects {
    async fn get(
        &self,
        id: ProjectId,
        task: Option<TaskNumber>,
    ) -> Result<Option<TrackedProject>, InfrastructureError> {
        let transaction = self.transaction.transaction();
        let Some(row) = transaction
            .find_unique::<_, tracked_project::Model>(tracked_project::Entity::find_by_id(
                id.as_uuid(),
            ))
            .await
            .map_err(InfrastructureError::during("loading a project's record"))?
        else {
            return Ok(None);
        };
        // No stored number is above i32::MAX: such a task was never heard of.
        let task = match task.and_then(|number| i32::try_from(number.get()).ok()) {
            None => None,
            Some(number) => transaction
                .find_unique::<_, tracked_task::Model>(tracked_task::Entity::find_by_id((
                    id.as_uuid(),
                    number,
                )))
                .await
                .map_err(InfrastructureError::during("loading a task's record"))?,
        };
        let project = project_from_rows(row.clone(), task.clone())?;
        self.loaded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, Loaded { project: row, task });
        Ok(Some(project))
    }

    async fn add(&self, project: &TrackedProject) -> Result<(), InfrastructureError> {
        let row = project_row(project)?.into_active_model();
        self.transaction
            .transaction()
            .execute(&tracked_project::Entity::insert(row))
            .await
            .map_err(InfrastructureError::during("adding a project's record"))?;
        if let Some(task) = project.task() {
            self.insert_task(task_row(project.id(), task)?).await?;
        }
        Ok(())
    }

    async fn update(&self, project: &TrackedProject) -> Result<(), InfrastructureError> {
        let loaded = self
            .loaded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&project.id());
        let (loaded_project, loaded_task) = match loaded {
            Some(Loaded { project, task }) => (Some(project), task),
            None => (None, None),
        };
        let row = project_row(project)?;
        if loaded_project.as_ref() != Some(&row) {
            // `reset_all` marks every column as set: a model turned active is "unchanged" and
            // would otherwise write nothing.
            let update = tracked_project::Entity::update_many()
                .set(row.into_active_model().reset_all())
                .filter(tracked_project::Column::ProjectId.eq(project.id().as_uuid()));
            self.transaction
                .transaction()
                .execute(&update)
                .await
                .map_err(InfrastructureError::during("updating a project's record"))?;
        }
        let Some(task) = project.task() else {
            return Ok(());
        };
        let row = task_row(project.id(), task)?;
        match loaded_task {
            Some(before) if before.number == row.number => {
                if before != row {
                    let update = tracked_task::Entity::update_many()
                        .col_expr(tracked_task::Column::Name, Expr::value(row.name.clone()))
                        .filter(tracked_task::Column::ProjectId.eq(row.project_id))
                        .filter(tracked_task::Column::Number.eq(row.number));
                    self.transaction
                        .transaction()
                        .execute(&update)
                        .await
                        .map_err(InfrastructureError::during("updating a task's record"))?;
                }
                Ok(())
            }
            _ => self.insert_task(row).await,
        }
    }
}

impl SeaOrmTrackedProjects {
    async fn insert_task(&self, row: tracked_task::Model) -> Result<(), InfrastructureError> {
        self.transaction
            .transaction()
            .execute(&tracked_task::Entity::insert(row.into_active_model()))
            .await
            .map_err(InfrastructureError::during("adding a task's record"))?;
        Ok(())
    }
}
