//! What travels over HTTP for projects and tasks.

use chrono::{DateTime, Utc};
use projects_application::{ProjectView, TaskView};
use projects_domain::TaskPriority;
use serde::{Deserialize, Serialize};
use shared_kernel_entrypoints::rfc3339;
use shared_kernel_entrypoints::whole_number;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Unknown members are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"name": "Garden", "maxIncompleteTasks": 5}))]
pub struct ProjectRequest {
    /// 1 to 100 characters once trimmed of white space, none of them a control character.
    #[schema(
        pattern = r"^[\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x1F\x7F-\x9F \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[^\x00-\x1F\x7F-\x9F]{0,98}[^\x00-\x1F\x7F-\x9F \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub name: String,
    /// 1 to 10000; absent or null for no maximum.
    #[serde(default, deserialize_with = "whole_number::deserialize_option")]
    #[schema(minimum = 1, maximum = 10000)]
    pub max_incomplete_tasks: Option<i64>,
}

/// A task's new name (`PUT`). Unknown members are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Water the plants"}))]
pub struct TaskNameRequest {
    /// 1 to 100 characters once trimmed of white space, none of them a control character.
    #[schema(
        pattern = r"^[\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x1F\x7F-\x9F \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[^\x00-\x1F\x7F-\x9F]{0,98}[^\x00-\x1F\x7F-\x9F \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub name: String,
}

/// A new task: its name, and any of its details. Unknown members are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "name": "Buy milk", "description": "Oat, not soy", "dueAt": "2026-12-24T17:00:00Z",
    "priority": "high", "labels": ["home", "shop"]
}))]
pub struct TaskRequest {
    /// 1 to 100 characters once trimmed of white space, none of them a control character.
    #[schema(
        pattern = r"^[\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x1F\x7F-\x9F \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[^\x00-\x1F\x7F-\x9F]{0,98}[^\x00-\x1F\x7F-\x9F \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub name: String,
    /// Free text, at most 10,000 characters; newlines and tabs are the only control
    /// characters allowed.
    #[schema(max_length = 10000, pattern = r"^[^\x00-\x08\x0B-\x1F\x7F-\x9F]*$")]
    pub description: Option<String>,
    /// RFC 3339 with any offset; stored and answered in UTC, to the microsecond.
    #[schema(format = DateTime)]
    pub due_at: Option<DateTime<Utc>>,
    /// `none` when absent.
    pub priority: Option<PriorityParam>,
    /// At most 10 distinct labels of 1 to 32 letters, digits, `-` and `_`; compared regardless
    /// of case, stored lower-case (a label given twice is kept once).
    #[schema(max_items = 10, inline = false)]
    pub labels: Option<Vec<LabelParam>>,
}

/// A label: 1 to 32 ASCII letters, digits, `-` and `_`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, pattern = r"^[A-Za-z0-9_-]{1,32}$")]
pub struct LabelParam(pub String);

impl AsRef<str> for LabelParam {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A merge patch of a task (RFC 7396, `Content-Type: application/merge-patch+json`): a member
/// present sets that field, `null` clears it (`priority` back to `none`, `labels` to none),
/// an absent one stays as it is. Unknown members are refused. Completion has its own routes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"priority": "urgent", "dueAt": null}))]
pub struct TaskPatchRequest {
    /// As when the task is added; it cannot be cleared.
    #[serde(default, deserialize_with = "present")]
    #[schema(
        value_type = String,
        pattern = r"^[\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x1F\x7F-\x9F \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[^\x00-\x1F\x7F-\x9F]{0,98}[^\x00-\x1F\x7F-\x9F \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 10000, pattern = r"^[^\x00-\x08\x0B-\x1F\x7F-\x9F]*$")]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<PriorityParam>)]
    pub priority: Option<Option<PriorityParam>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<LabelParam>>, max_items = 10)]
    pub labels: Option<Option<Vec<LabelParam>>>,
}

/// A member that is present, `null` or not: `Some(None)` for `null`, and (with
/// `#[serde(default)]`) `None` when the member is absent.
fn present<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// How urgent a task is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PriorityParam {
    None,
    Low,
    Medium,
    High,
    Urgent,
}

impl From<PriorityParam> for TaskPriority {
    fn from(priority: PriorityParam) -> Self {
        match priority {
            PriorityParam::None => TaskPriority::None,
            PriorityParam::Low => TaskPriority::Low,
            PriorityParam::Medium => TaskPriority::Medium,
            PriorityParam::High => TaskPriority::High,
            PriorityParam::Urgent => TaskPriority::Urgent,
        }
    }
}

impl From<TaskPriority> for PriorityParam {
    fn from(priority: TaskPriority) -> Self {
        match priority {
            TaskPriority::None => PriorityParam::None,
            TaskPriority::Low => PriorityParam::Low,
            TaskPriority::Medium => PriorityParam::Medium,
            TaskPriority::High => PriorityParam::High,
            TaskPriority::Urgent => PriorityParam::Urgent,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectResponse {
    pub id: Uuid,
    pub name: String,
    pub max_incomplete_tasks: Option<u32>,
    pub task_count: u32,
    pub incomplete_task_count: u32,
    /// RFC 3339, UTC; null while the project is active.
    #[serde(serialize_with = "rfc3339::serialize_option")]
    pub archived_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "rfc3339::serialize")]
    pub created_at: DateTime<Utc>,
}

impl From<ProjectView> for ProjectResponse {
    fn from(view: ProjectView) -> Self {
        Self {
            id: view.id.as_uuid(),
            name: view.name,
            max_incomplete_tasks: view.max_incomplete_tasks,
            task_count: view.task_count,
            incomplete_task_count: view.incomplete_task_count,
            archived_at: view.archived_at,
            created_at: view.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskResponse {
    /// The project the task belongs to.
    pub project_id: Uuid,
    /// 1, 2, 3… within the project, never reused.
    pub number: u32,
    pub name: String,
    pub description: Option<String>,
    /// RFC 3339, UTC.
    #[serde(serialize_with = "rfc3339::serialize_option")]
    pub due_at: Option<DateTime<Utc>>,
    pub priority: PriorityParam,
    /// Lower-case, sorted; `[]` when there are none.
    pub labels: Vec<String>,
    #[serde(serialize_with = "rfc3339::serialize_option")]
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "rfc3339::serialize")]
    pub created_at: DateTime<Utc>,
    /// When anything about the task last changed (its completion included).
    #[serde(serialize_with = "rfc3339::serialize")]
    pub updated_at: DateTime<Utc>,
    /// Incomplete, and due before the moment of this answer.
    pub overdue: bool,
}

impl From<TaskView> for TaskResponse {
    fn from(view: TaskView) -> Self {
        Self {
            project_id: view.project_id.as_uuid(),
            number: view.number,
            name: view.name,
            description: view.description,
            due_at: view.due_at,
            priority: view.priority.into(),
            labels: view.labels,
            completed_at: view.completed_at,
            created_at: view.created_at,
            updated_at: view.updated_at,
            overdue: view.overdue,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectPage {
    pub projects: Vec<ProjectResponse>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskPage {
    pub tasks: Vec<TaskResponse>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProjectStatusParam {
    Active,
    Archived,
}

/// Which tasks by completion.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatusParam {
    Completed,
    Incomplete,
    All,
}

/// The orders of a task list: by `number`, by `dueAt` (soonest first, tasks without a due
/// date last), by `-priority` (most urgent first), by `createdAt` (oldest first), by
/// `-updatedAt` (most recently changed first). Ties go by project, then number.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum TaskSortParam {
    #[serde(rename = "number")]
    Number,
    #[serde(rename = "dueAt")]
    DueAt,
    #[serde(rename = "-priority")]
    PriorityDescending,
    #[serde(rename = "createdAt")]
    CreatedAt,
    #[serde(rename = "-updatedAt")]
    UpdatedAtDescending,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListProjectsParams {
    /// Only active or only archived projects; both when absent.
    pub status: Option<ProjectStatusParam>,
    /// 1 to 200; 50 when absent.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `nextCursor` of the previous page.
    #[param(pattern = r"^p[0-9a-fA-F]{32}$")]
    pub cursor: Option<String>,
}

/// The filters, order and page of a task list; the filters combine (a task must pass every
/// one given).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct TaskListParams {
    /// By completion (`GET /api/projects/{id}/tasks`: `all` when absent; `GET /api/tasks`:
    /// `incomplete`).
    pub status: Option<TaskStatusParam>,
    /// One or more priorities, comma-separated (`high,urgent`): tasks with any of them.
    #[param(pattern = r"^(none|low|medium|high|urgent)(,(none|low|medium|high|urgent))*$")]
    pub priority: Option<String>,
    /// Repeatable (`label=home&label=shop`): tasks that have every one of them, compared
    /// regardless of case.
    #[serde(default)]
    #[param(max_items = 10, explode = true, style = Form)]
    pub label: Vec<LabelParam>,
    /// Tasks due before this instant (exclusive); RFC 3339.
    #[param(format = DateTime, value_type = Option<String>)]
    pub due_before: Option<DateTime<Utc>>,
    /// Tasks due at or after this instant; RFC 3339.
    #[param(format = DateTime, value_type = Option<String>)]
    pub due_after: Option<DateTime<Utc>>,
    /// `true`: only the tasks that are incomplete and due before now; `false`: all the others.
    pub overdue: Option<bool>,
    /// Tasks whose name or description contains this text, regardless of case (on SQLite,
    /// of ASCII letters' case only); 1 to 200 characters.
    #[param(min_length = 1, max_length = 200)]
    pub q: Option<String>,
    /// `number` by default for a project's list, `dueAt` for `GET /api/tasks`.
    pub sort: Option<TaskSortParam>,
    /// 1 to 200; 50 when absent.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `nextCursor` of the previous page of the same list, with the same filters and
    /// sort (another list's, or one from other filters, is refused).
    #[param(pattern = r"^[ta][ndpcu][0-9a-f]{12}\.(n|-?[0-9]{1,19})?\.[0-9a-f]{32}\.[0-9]{1,10}$")]
    pub cursor: Option<String>,
}
