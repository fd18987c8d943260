use activity_application::EntryView;
use activity_application::ports::ActivityQueries;
use activity_domain::EntryId;
use async_trait::async_trait;
use platform_database::{DatabaseRow, ReadConnection};
use projects_contracts::ProjectId;
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, DerivePartialModel, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Select,
};
use shared_kernel_application::{InfrastructureError, Page, PageSize};
use shared_kernel_domain::UserId;

use super::entities::{entry, tracked_project};
use super::mapper::{entry_kind, to_u32};

/// The activity read side: straight from the tables into flat views. Entries are listed
/// newest first and keyset-paginated along an index (the primary key `(project_id, id)` for
/// a project's, `(owner_id, id)` for a user's), so a page costs the same however many entries came
/// before it. A project's visibility (the caller's, not deleted) is a subquery of the same
/// statement.
pub struct SeaOrmActivityQueries {
    database: ReadConnection,
}

impl SeaOrmActivityQueries {
    pub fn new(database: ReadConnection) -> Self {
        Self { database }
    }

    /// The projects of `owner` that are not deleted.
    fn visible_projects(owner: UserId) -> Select<tracked_project::Entity> {
        tracked_project::Entity::find()
            .filter(tracked_project::Column::OwnerId.eq(owner.as_uuid()))
            .filter(tracked_project::Column::DeletedAt.is_null())
    }

    /// The ids of `visible`, as a subquery.
    fn ids(visible: Select<tracked_project::Entity>) -> SelectStatement {
        visible
            .select_only()
            .column(tracked_project::Column::ProjectId)
            .into_query()
    }

    /// `query`'s page after `after`, newest first.
    async fn page(
        &self,
        during: &'static str,
        query: Select<entry::Entity>,
        size: PageSize,
        after: Option<EntryId>,
    ) -> Result<Page<EntryView>, InfrastructureError> {
        let query = match after {
            Some(after) => query.filter(entry::Column::Id.lt(after.as_uuid())),
            None => query,
        };
        let query = query
            .order_by_desc(entry::Column::Id)
            .limit(u64::from(size.get()) + 1);
        let rows: Vec<EntryRow> = self.database.all(during, query).await?;
        Page::from_rows(rows, size)
    }
}

#[derive(DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "entry::Entity")]
struct EntryRow {
    id: uuid::Uuid,
    project_id: uuid::Uuid,
    event_type: String,
    task_number: Option<i32>,
    summary: String,
    occurred_at: chrono::DateTime<chrono::Utc>,
}

impl TryFrom<EntryRow> for EntryView {
    type Error = InfrastructureError;

    fn try_from(row: EntryRow) -> Result<Self, Self::Error> {
        Ok(EntryView {
            id: EntryId::from_uuid(row.id),
            kind: entry_kind(&row.event_type)?,
            occurred_at: row.occurred_at,
            project_id: ProjectId::from_uuid(row.project_id),
            task_number: row
                .task_number
                .map(|n| to_u32(n, "reading an entry's task number"))
                .transpose()?,
            summary: row.summary,
        })
    }
}

#[derive(DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "tracked_project::Entity")]
struct ProjectIdRow {
    #[allow(dead_code)] // Selected so that the row exists; only its presence is read.
    project_id: uuid::Uuid,
}

#[async_trait]
impl ActivityQueries for SeaOrmActivityQueries {
    async fn project_entries(
        &self,
        owner: UserId,
        project: ProjectId,
        size: PageSize,
        after: Option<EntryId>,
    ) -> Result<Option<Page<EntryView>>, InfrastructureError> {
        let visible = Self::visible_projects(owner)
            .filter(tracked_project::Column::ProjectId.eq(project.as_uuid()));
        let query = entry::Entity::find()
            .filter(entry::Column::ProjectId.eq(project.as_uuid()))
            .filter(entry::Column::ProjectId.in_subquery(Self::ids(visible.clone())));
        let page = self
            .page("listing a project's activity", query, size, after)
            .await?;
        if !page.items.is_empty() {
            return Ok(Some(page));
        }
        // One query answers the common case; only an empty page needs a second look, to tell
        // a project whose entries are behind the cursor from one the caller may not see.
        let visible: Option<ProjectIdRow> = self
            .database
            .one("checking that a project's activity may be read", visible)
            .await?;
        Ok(visible.map(|_| page))
    }

    async fn owner_entries(
        &self,
        owner: UserId,
        size: PageSize,
        after: Option<EntryId>,
    ) -> Result<Page<EntryView>, InfrastructureError> {
        let query = entry::Entity::find()
            .filter(entry::Column::OwnerId.eq(owner.as_uuid()))
            .filter(entry::Column::ProjectId.in_subquery(Self::ids(Self::visible_projects(owner))));
        self.page("listing a user's activity", query, size, after)
            .await
    }
}
