use std::sync::Arc;

use async_trait::async_trait;
use platform_database::{DatabaseRow, ReadConnection};
use projects_application::ports::ProjectQueries;
use projects_application::{
    ProjectStatus, ProjectView, TaskCursor, TaskQuery, TaskStatus, TaskView,
};
use projects_domain::{DueAt, ProjectId, TaskNumber, is_overdue};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, DerivePartialModel, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Select,
};
use shared_kernel_application::{InfrastructureError, Page, PageSize};
use shared_kernel_domain::{Clock, UserId};

use super::entities::{project, task};
use super::mapper::{priority_from_rank, stored_labels, to_u32};
use super::task_list_query;

/// The projects read side: straight from the tables into flat views, never through the
/// aggregate. Lists are keyset-paginated (`(owner_id, id)` for projects; for tasks, the sort
/// key and then `(project_id, number)`), so a page costs the same however many rows come
/// before it. The clock says which tasks are overdue.
///
/// sea-orm builds every statement; the `ReadConnection` runs it, through sea-orm's pool or on
/// SQLite's reader threads (ADR 0013).
pub struct SeaOrmProjectQueries {
    database: ReadConnection,
    clock: Arc<dyn Clock>,
}

impl SeaOrmProjectQueries {
    pub fn new(database: ReadConnection, clock: Arc<dyn Clock>) -> Self {
        Self { database, clock }
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

    /// The tasks in `owner`'s projects that are neither archived nor deleted, among those
    /// with `status`. `owner_id` is the task's copy of its project's owner, which lets the
    /// database read the owner's tasks along an index
    /// (`projects_tasks_open_by_owner_and_due_idx` for the open ones).
    ///
    /// Open tasks need no look at their projects: an archived project has only completed
    /// tasks and changes no more, and only an archived project is deleted (the `Project`
    /// aggregate's invariants). Without the subquery PostgreSQL reads the page straight from
    /// that index instead of joining every project and sorting all its tasks.
    fn tasks_of_active_projects(owner: UserId, status: Option<TaskStatus>) -> Select<task::Entity> {
        let tasks = task::Entity::find().filter(task::Column::OwnerId.eq(owner.as_uuid()));
        if status == Some(TaskStatus::Incomplete) {
            return tasks;
        }
        let active_projects = project::Entity::find()
            .filter(project::Column::OwnerId.eq(owner.as_uuid()))
            .filter(project::Column::DeletedAt.is_null())
            .filter(project::Column::ArchivedAt.is_null())
            .select_only()
            .column(project::Column::Id)
            .into_query();
        tasks.filter(task::Column::ProjectId.in_subquery(active_projects))
    }

    /// One page of `tasks` under `query`, after `after`.
    async fn task_page(
        &self,
        tasks: Select<task::Entity>,
        query: &TaskQuery,
        size: PageSize,
        after: Option<&TaskCursor>,
    ) -> Result<Page<TaskView>, InfrastructureError> {
        let now = self.clock.now();
        let mut tasks = task_list_query::filtered(tasks, &query.filter, now);
        if let Some(after) = after {
            tasks = tasks.filter(task_list_query::after(after));
        }
        let tasks = task_list_query::ordered(tasks, query.sort).limit(u64::from(size.get()) + 1);
        let rows: Vec<TaskRow> = self.database.all("listing tasks", tasks).await?;
        Page::from_rows_read(rows, size, |row| row.view(now))
    }

    /// An empty page if `owner` may see `project`, `None` if not.
    async fn empty_page_if_visible<T>(
        &self,
        owner: UserId,
        project: ProjectId,
    ) -> Result<Option<Page<T>>, InfrastructureError> {
        let visible = self.get_project(owner, project).await?.is_some();
        Ok(visible.then(|| Page {
            items: Vec::new(),
            has_more: false,
        }))
    }
}

#[derive(DerivePartialModel, DatabaseRow)]
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

#[derive(DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "task::Entity")]
struct TaskRow {
    project_id: uuid::Uuid,
    number: i32,
    name: String,
    description: Option<String>,
    due_at: Option<chrono::DateTime<chrono::Utc>>,
    priority: i16,
    labels: String,
    completed_at: Option<chrono::DateTime<chrono::Utc>>,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: Option<chrono::DateTime<chrono::Utc>>,
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

impl TaskRow {
    /// The task as it reads at `now`.
    fn view(self, now: chrono::DateTime<chrono::Utc>) -> Result<TaskView, InfrastructureError> {
        let due_at = self.due_at.map(DueAt::new);
        Ok(TaskView {
            project_id: ProjectId::from_uuid(self.project_id),
            number: to_u32(self.number, "reading a task number")?,
            name: self.name,
            description: self.description,
            due_at: due_at.map(|due| due.get()),
            priority: priority_from_rank(self.priority)?,
            labels: stored_labels(&self.labels),
            completed_at: self.completed_at,
            created_at: self.created_at,
            updated_at: self.updated_at.unwrap_or(self.created_at),
            overdue: is_overdue(self.completed_at, due_at, now),
        })
    }
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
        let query = query
            .order_by_asc(project::Column::Id)
            .limit(u64::from(size.get()) + 1);
        let rows: Vec<ProjectRow> = self.database.all("listing projects", query).await?;
        Page::from_rows(rows, size)
    }

    async fn get_project(
        &self,
        owner: UserId,
        id: ProjectId,
    ) -> Result<Option<ProjectView>, InfrastructureError> {
        let query = Self::visible_project(owner, id);
        self.database
            .one::<_, ProjectRow>("reading a project", query)
            .await?
            .map(ProjectView::try_from)
            .transpose()
    }

    async fn list_tasks(
        &self,
        owner: UserId,
        project: ProjectId,
        query: &TaskQuery,
        size: PageSize,
        after: Option<&TaskCursor>,
    ) -> Result<Option<Page<TaskView>>, InfrastructureError> {
        let tasks = Self::visible_tasks(owner, project);
        let page = self.task_page(tasks, query, size, after).await?;
        if page.items.is_empty() {
            // One query answers the common case; only an empty page needs a second look, to
            // tell a project without (such) tasks from one the caller may not see.
            return self.empty_page_if_visible(owner, project).await;
        }
        Ok(Some(page))
    }

    async fn list_all_tasks(
        &self,
        owner: UserId,
        query: &TaskQuery,
        size: PageSize,
        after: Option<&TaskCursor>,
    ) -> Result<Page<TaskView>, InfrastructureError> {
        let tasks = Self::tasks_of_active_projects(owner, query.filter.status);
        self.task_page(tasks, query, size, after).await
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
        let query = Self::visible_tasks(owner, project).filter(task::Column::Number.eq(number));
        self.database
            .one::<_, TaskRow>("reading a task", query)
            .await?
            .map(|row| row.view(self.clock.now()))
            .transpose()
    }
}
