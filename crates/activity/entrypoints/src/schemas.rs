//! What travels over HTTP for activity.

use activity_application::EntryView;
use activity_domain::EntryKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared_kernel_entrypoints::rfc3339;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// What an entry tells of: the event's name in snake_case.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryType {
    ProjectCreated,
    ProjectUpdated,
    ProjectArchived,
    ProjectUnarchived,
    ProjectDeleted,
    TaskAdded,
    TaskRenamed,
    TaskCompleted,
    TaskReopened,
    TaskUpdated,
}

impl From<EntryKind> for EntryType {
    fn from(kind: EntryKind) -> Self {
        match kind {
            EntryKind::ProjectCreated => Self::ProjectCreated,
            EntryKind::ProjectUpdated => Self::ProjectUpdated,
            EntryKind::ProjectArchived => Self::ProjectArchived,
            EntryKind::ProjectUnarchived => Self::ProjectUnarchived,
            EntryKind::ProjectDeleted => Self::ProjectDeleted,
            EntryKind::TaskAdded => Self::TaskAdded,
            EntryKind::TaskRenamed => Self::TaskRenamed,
            EntryKind::TaskCompleted => Self::TaskCompleted,
            EntryKind::TaskReopened => Self::TaskReopened,
            EntryKind::TaskUpdated => Self::TaskUpdated,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "019ad1e2-5f3c-7a41-9c3e-2b8f6d0a1c44",
    "type": "task_completed",
    "occurredAt": "2026-12-01T10:15:30.123456Z",
    "projectId": "019ad1e2-5a10-7c2b-8d31-9e4f7a2b6c10",
    "taskNumber": 3,
    "summary": "Task 3 “Buy milk” was completed"
}))]
pub struct EntryResponse {
    /// The id of the event the entry tells of.
    pub id: Uuid,
    #[serde(rename = "type")]
    pub entry_type: EntryType,
    /// When it happened: RFC 3339, UTC.
    #[serde(serialize_with = "rfc3339::serialize")]
    pub occurred_at: DateTime<Utc>,
    pub project_id: Uuid,
    /// The task's number, on entries about a task (`task_*`) only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_number: Option<u32>,
    /// A short English sentence, with the names as they were then.
    pub summary: String,
}

impl From<EntryView> for EntryResponse {
    fn from(view: EntryView) -> Self {
        Self {
            id: view.id.as_uuid(),
            entry_type: view.kind.into(),
            occurred_at: view.occurred_at,
            project_id: view.project_id.as_uuid(),
            task_number: view.task_number,
            summary: view.summary,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EntryPage {
    /// Newest first.
    pub entries: Vec<EntryResponse>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The page parameters of a project's activity. (Its cursors differ from those of the
/// caller's activity only by their tag, which the document spells out.)
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectActivityParams {
    /// 1 to 200; 50 when absent.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `nextCursor` of the previous page.
    #[param(pattern = r"^e[0-9a-fA-F]{32}$")]
    pub cursor: Option<String>,
}

/// The page parameters of the caller's activity.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityParams {
    /// 1 to 200; 50 when absent.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `nextCursor` of the previous page.
    #[param(pattern = r"^a[0-9a-fA-F]{32}$")]
    pub cursor: Option<String>,
}
