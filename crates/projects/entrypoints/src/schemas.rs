//! What travels over HTTP for projects and tasks.

use chrono::{DateTime, Utc};
use projects_application::{ProjectView, TaskView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"name": "Garden", "maxIncompleteTasks": 5}))]
pub struct ProjectRequest {
    /// 1 to 100 characters, trimmed.
    pub name: String,
    /// 1 to 10000; absent or null for no maximum.
    #[serde(default)]
    pub max_incomplete_tasks: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Water the plants"}))]
pub struct TaskRequest {
    /// 1 to 100 characters, trimmed.
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
    pub archived_at: Option<DateTime<Utc>>,
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
    pub completed_at: Option<DateTime<Utc>>,
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
    pub limit: Option<i64>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListTasksParams {
    /// Only completed or only incomplete tasks; both when absent.
    pub status: Option<TaskStatusParam>,
    /// 1 to 200; 50 when absent.
    pub limit: Option<i64>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
}
