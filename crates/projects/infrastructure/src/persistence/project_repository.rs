use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use platform_database::changed_columns;
use platform_outbox::TransactionParticipant;
use projects_application::ports::ProjectRepository;
use projects_domain::{Project, ProjectId, TaskNumber};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::{AggregateRoot, UserId};

use super::entities::{project, task};
use super::mapper::{project_from_rows, project_row, task_row};

/// Projects, loaded with their counters and at most the one task a command names, and saved
/// through the transaction of the Unit of Work that owns this repository.
///
/// `get` locks the project's row (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the Unit of
/// Work's `BEGIN IMMEDIATE` already serialises writers), so that concurrent commands on one
/// project run one after the other: no duplicate numbers, no lost tasks, no maximum
/// exceeded. `update` still checks the version it loaded, as a last line of defence.
///
/// It remembers the rows it loaded, so that `update` writes only the project's columns and
/// the tasks that were added or changed.
pub struct SeaOrmProjectRepository {
    pub(super) transaction: TransactionParticipant,
    pub(super) loaded: Mutex<HashMap<ProjectId, LoadedRows>>,
}

/// A project's rows as `get` read them.
pub(super) struct LoadedRows {
    project: project::Model,
    tasks: Vec<task::Model>,
}

impl SeaOrmProjectRepository {
    async fn load(
        &self,
        owner: UserId,
        id: ProjectId,
        task: Option<TaskNumber>,
    ) -> Result<Option<Project>, InfrastructureError> {
        let transaction = self.transaction.transaction();
        let query = project::Entity::find_by_id(id.as_uuid())
            .filter(project::Column::OwnerId.eq(owner.as_uuid()))
            .filter(project::Column::DeletedAt.is_null())
            .lock_exclusive();
        let Some(row) = transaction
            .find_unique::<_, project::Model>(query)
            .await
            .map_err(InfrastructureError::during("loading a project"))?
        else {
            return Ok(None);
        };
        // No stored number is above i32::MAX: a task beyond it does not exist, and the
        // project loads without it so that the command answers "not found".
        let tasks = match task.and_then(|number| i32::try_from(number.get()).ok()) {
            None => Vec::new(),
            Some(number) => transaction
                .find_unique::<_, task::Model>(task::Entity::find_by_id((id.as_uuid(), number)))
                .await
                .map_err(InfrastructureError::during("loading a project's task"))?
                .into_iter()
                .collect(),
        };
        let project = project_from_rows(&row, &tasks)?;
        self.loaded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                id,
                LoadedRows {
                    project: row,
                    tasks,
                },
            );
        Ok(Some(project))
    }
}

#[async_trait]
impl ProjectRepository for SeaOrmProjectRepository {
    async fn get(
        &self,
        owner: UserId,
        id: ProjectId,
    ) -> Result<Option<Project>, InfrastructureError> {
        self.load(owner, id, None).await
    }

    async fn get_with_task(
        &self,
        owner: UserId,
        id: ProjectId,
        number: TaskNumber,
    ) -> Result<Option<Project>, InfrastructureError> {
        self.load(owner, id, Some(number)).await
    }

    async fn add(&self, project: &mut Project) -> Result<(), InfrastructureError> {
        let transaction = self.transaction.transaction();
        let row = project_row(project, project.version())?.into_active_model();
        transaction
            .execute(&project::Entity::insert(row))
            .await
            .map_err(InfrastructureError::during("adding a project"))?;
        let tasks = project
            .loaded_tasks()
            .iter()
            .map(|t| task_row(project, t).map(IntoActiveModel::into_active_model))
            .collect::<Result<Vec<_>, _>>()?;
        if !tasks.is_empty() {
            transaction
                .execute(&task::Entity::insert_many(tasks))
                .await
                .map_err(InfrastructureError::during("adding a project's tasks"))?;
        }
        self.transaction.record_events(project.take_events());
        Ok(())
    }

    async fn update(&self, project: &mut Project) -> Result<(), InfrastructureError> {
        let transaction = self.transaction.transaction();
        let loaded = self
            .loaded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&project.id());
        let loaded_version = project.version();
        let row = project_row(project, loaded_version + 1)?;
        let changes = match &loaded {
            Some(loaded) => changed_columns(&loaded.project, row),
            // Not loaded by this repository: every column is written (`reset_all` marks each
            // as set, where a model turned active is all "unchanged").
            None => row.into_active_model().reset_all(),
        };
        let update = project::Entity::update_many()
            .set(changes)
            .filter(project::Column::Id.eq(project.id().as_uuid()))
            .filter(project::Column::Version.eq(i64::try_from(loaded_version).unwrap_or(i64::MAX)));
        let updated = transaction
            .execute(&update)
            .await
            .map_err(InfrastructureError::during("updating a project"))?;
        if updated != 1 {
            return Err(InfrastructureError::new(
                "updating a project",
                "the project changed since it was loaded (its version moved on)",
            ));
        }

        let loaded: HashMap<i32, task::Model> = loaded
            .map(|loaded| loaded.tasks)
            .unwrap_or_default()
            .into_iter()
            .map(|row| (row.number, row))
            .collect();
        let mut added = Vec::new();
        for task in project.loaded_tasks() {
            let row = task_row(project, task)?;
            match loaded.get(&row.number) {
                None => added.push(row.into_active_model()),
                Some(before) if *before != row => {
                    let (project_id, number) = (row.project_id, row.number);
                    let update = task::Entity::update_many()
                        .set(changed_columns(before, row))
                        .filter(task::Column::ProjectId.eq(project_id))
                        .filter(task::Column::Number.eq(number));
                    transaction
                        .execute(&update)
                        .await
                        .map_err(InfrastructureError::during("updating a task"))?;
                }
                Some(_) => {}
            }
        }
        if !added.is_empty() {
            transaction
                .execute(&task::Entity::insert_many(added))
                .await
                .map_err(InfrastructureError::during("adding tasks"))?;
        }
        self.transaction.record_events(project.take_events());
        Ok(())
    }
}
