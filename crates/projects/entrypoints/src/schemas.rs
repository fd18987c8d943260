//! What travels over HTTP for projects and tasks.

use chrono::{DateTime, Utc};
use projects_application::{ProjectView, TaskView};
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

/// Unknown members are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Water the plants"}))]
pub struct TaskRequest {
    /// 1 to 100 characters once trimmed of white space, none of them a control character.
    #[schema(
        pattern = r"^[\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x1F\x7F-\x9F \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[^\x00-\x1F\x7F-\x9F]{0,98}[^\x00-\x1F\x7F-\x9F \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub name: String,
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
    /// 1, 2, 3… within the project, never reused.
    pub number: u32,
    pub name: String,
    #[serde(serialize_with = "rfc3339::serialize_option")]
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "rfc3339::serialize")]
    pub created_at: DateTime<Utc>,
}

impl From<TaskView> for TaskResponse {
    fn from(view: TaskView) -> Self {
        Self {
            number: view.number,
            name: view.name,
            completed_at: view.completed_at,
            created_at: view.created_at,
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

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatusParam {
    Completed,
    Incomplete,
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListTasksParams {
    /// Only completed or only incomplete tasks; both when absent.
    pub status: Option<TaskStatusParam>,
    /// 1 to 200; 50 when absent.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `nextCursor` of the previous page (`t` and a task number).
    #[param(
        pattern = r"^t0*(?:[0-9]{1,9}|[1-3][0-9]{9}|4[01][0-9]{8}|42[0-8][0-9]{7}|429[0-3][0-9]{6}|4294[0-8][0-9]{5}|42949[0-5][0-9]{4}|429496[0-6][0-9]{3}|4294967[01][0-9]{2}|42949672[0-8][0-9]|429496729[0-5])$"
    )]
    pub cursor: Option<String>,
}
