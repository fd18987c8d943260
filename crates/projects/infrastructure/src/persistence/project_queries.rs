use async_trait::async_trait;
use projects_application::ports::ProjectQueries;
use projects_application::{Page, PageSize, ProjectStatus, ProjectView, TaskStatus, TaskView};
use projects_domain::{ProjectId, TaskNumber};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DerivePartialModel, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

use super::entities::{project, task};
use super::mapper::to_u32;

/// The projects read side: straight from the tables into flat views, never through the
/// aggregate. Lists are keyset-paginated along an index (`(owner_id, id)` for projects, the
/// `(project_id, number)` primary key for tasks), so a page costs the same however many rows
/// come before it.
pub struct SeaOrmProjectQueries {
    database: DatabaseConnection,
}

impl SeaOrmProjectQueries {
    pub fn new(database: DatabaseConnection) -> Self {
        Self { database }
    }

    /// The owner's project `id`, unless it is deleted: the filter every read starts from.
    fn visible_project(owner: UserId, id: ProjectId) -> Select<project::Entity> {
        project::Entity::find_by_id(id.as_uuid())
            .filter(project::Column::OwnerId.eq(owner.as_uuid()))
            .filter(project::Column::DeletedAt.is_null())
    }

    /// `id` if `owner` may read its tasks, as a subquery: task reads filter on
    /// `project_id IN (…)` so that the ownership check and the read are one query.
    fn visible_project_id(owner: UserId, id: ProjectId) -> SelectStatement {
        Self::visible_project(owner, id)
            .select_only()
            .column(project::Column::Id)
            .into_query()
    }

    /// The tasks of `project` that `owner` may read: none unless the project is theirs and
    /// not deleted.
    fn visible_tasks(owner: UserId, project: ProjectId) -> Select<task::Entity> {
        task::Entity::find()
            .filter(task::Column::ProjectId.eq(project.as_uuid()))
            .filter(task::Column::ProjectId.in_subquery(Self::visible_project_id(owner, project)))
    }

    /// Whether `owner` may read `id`'s tasks: the project is theirs and not deleted.
    async fn can_see(&self, owner: UserId, id: ProjectId) -> Result<bool, InfrastructureError> {
        let visible = Self::visible_project(owner, id)
            .count(&self.database)
            .await
            .map_err(InfrastructureError::during("finding a project"))?;
        Ok(visible > 0)
    }

    /// An empty page if `owner` may see `project`, `None` if not.
    async fn empty_page_if_visible<T>(
        &self,
        owner: UserId,
        project: ProjectId,
    ) -> Result<Option<Page<T>>, InfrastructureError> {
        Ok(self.can_see(owner, project).await?.then(|| Page {
            items: Vec::new(),
            has_more: false,
        }))
    }
}

#[derive(DerivePartialModel)]
#[sea_orm(entity = "project::Entity")]
struct ProjectRow {
    id: uuid::Uuid,
    name: String,
    max_incomplete_tasks: Option<i32>,
    task_count: i32,
    incomplete_task_count: i32,
    archived_at: Option<chrono::DateTime<chrono::Utc>>,
    created_at: chrono::DateTime<chrono::Utc>,
}

impl TryFrom<ProjectRow> for ProjectView {
    type Error = InfrastructureError;

    fn try_from(row: ProjectRow) -> Result<Self, Self::Error> {
        Ok(ProjectView {
            id: ProjectId::from_uuid(row.id),
            name: row.name,
            max_incomplete_tasks: row
                .max_incomplete_tasks
                .map(|max| to_u32(max, "reading a project's maximum"))
                .transpose()?,
            task_count: to_u32(row.task_count, "reading a task count")?,
            incomplete_task_count: to_u32(row.incomplete_task_count, "reading a task count")?,
            archived_at: row.archived_at,
            created_at: row.created_at,
        })
    }
}

impl TryFrom<task::Model> for TaskView {
    type Error = InfrastructureError;

    fn try_from(row: task::Model) -> Result<Self, Self::Error> {
        Ok(TaskView {
            number: to_u32(row.number, "reading a task number")?,
            name: row.name,
            completed_at: row.completed_at,
            created_at: row.created_at,
        })
    }
}

/// Turns `size + 1` fetched rows into a page of `size` and whether more follow.
fn page<R, T>(mut rows: Vec<R>, size: PageSize) -> Result<Page<T>, InfrastructureError>
where
    T: TryFrom<R, Error = InfrastructureError>,
{
    let size = usize::try_from(size.get()).unwrap_or(usize::MAX);
    let has_more = rows.len() > size;
    rows.truncate(size);
    let items = rows
        .into_iter()
        .map(T::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Page { items, has_more })
}

#[async_trait]
impl ProjectQueries for SeaOrmProjectQueries {
    async fn list_projects(
        &self,
        owner: UserId,
        status: Option<ProjectStatus>,
        size: PageSize,
        after: Option<ProjectId>,
    ) -> Result<Page<ProjectView>, InfrastructureError> {
        let mut query = project::Entity::find()
            .filter(project::Column::OwnerId.eq(owner.as_uuid()))
            .filter(project::Column::DeletedAt.is_null());
        query = match status {
            None => query,
            Some(ProjectStatus::Active) => query.filter(project::Column::ArchivedAt.is_null()),
            Some(ProjectStatus::Archived) => {
                query.filter(project::Column::ArchivedAt.is_not_null())
            }
        };
        if let Some(after) = after {
            query = query.filter(project::Column::Id.gt(after.as_uuid()));
        }
        let rows = query
            .order_by_asc(project::Column::Id)
            .limit(u64::from(size.get()) + 1)
            .into_partial_model::<ProjectRow>()
            .all(&self.database)
            .await
            .map_err(InfrastructureError::during("listing projects"))?;
        page(rows, size)
    }

    async fn get_project(
        &self,
        owner: UserId,
        id: ProjectId,
    ) -> Result<Option<ProjectView>, InfrastructureError> {
        Self::visible_project(owner, id)
            .into_partial_model::<ProjectRow>()
            .one(&self.database)
            .await
            .map_err(InfrastructureError::during("reading a project"))?
            .map(ProjectView::try_from)
            .transpose()
    }

    async fn list_tasks(
        &self,
        owner: UserId,
        project: ProjectId,
        status: Option<TaskStatus>,
        size: PageSize,
        after: Option<TaskNumber>,
    ) -> Result<Option<Page<TaskView>>, InfrastructureError> {
        let mut query = Self::visible_tasks(owner, project);
        query = match status {
            None => query,
            Some(TaskStatus::Completed) => query.filter(task::Column::CompletedAt.is_not_null()),
            Some(TaskStatus::Incomplete) => query.filter(task::Column::CompletedAt.is_null()),
        };
        if let Some(after) = after {
            // No stored number is above i32::MAX, so nothing comes after such a cursor.
            let Ok(after) = i32::try_from(after.get()) else {
                return self.empty_page_if_visible(owner, project).await;
            };
            query = query.filter(task::Column::Number.gt(after));
        }
        let rows = query
            .order_by_asc(task::Column::Number)
            .limit(u64::from(size.get()) + 1)
            .all(&self.database)
            .await
            .map_err(InfrastructureError::during("listing tasks"))?;
        if rows.is_empty() {
            // One query answers the common case; only an empty page needs a second look, to
            // tell a project without (such) tasks from one the caller may not see.
            return self.empty_page_if_visible(owner, project).await;
        }
        page(rows, size).map(Some)
    }

    async fn get_task(
        &self,
        owner: UserId,
        project: ProjectId,
        number: TaskNumber,
    ) -> Result<Option<TaskView>, InfrastructureError> {
        let Ok(number) = i32::try_from(number.get()) else {
            return Ok(None);
        };
        Self::visible_tasks(owner, project)
            .filter(task::Column::Number.eq(number))
            .one(&self.database)
            .await
            .map_err(InfrastructureError::during("reading a task"))?
            .map(TaskView::try_from)
            .transpose()
    }
}
