//! A task row as both databases return it, and the JSON the service answers for it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The columns of `projects_tasks` a task's answer shows, in the order the statements select
/// them.
pub struct TaskRow {
    pub project_id: Uuid,
    pub number: i32,
    pub name: String,
    pub description: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub priority: i16,
    /// Stored as `,a,b,` (empty for none).
    pub labels: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The columns every statement that reads tasks selects, in `TaskRow`'s order.
pub const TASK_COLUMNS: &str = "project_id, number, name, description, due_at, priority, labels, \
     completed_at, created_at, updated_at";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskView<'a> {
    project_id: Uuid,
    number: i32,
    name: &'a str,
    description: Option<&'a str>,
    due_at: Option<DateTime<Utc>>,
    priority: &'static str,
    labels: Vec<&'a str>,
    completed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    overdue: bool,
}

const PRIORITIES: [&str; 5] = ["none", "low", "medium", "high", "urgent"];

impl TaskRow {
    /// A task just added: no details, not completed, created and updated `now`.
    pub fn added(project_id: Uuid, number: i32, name: String, now: DateTime<Utc>) -> Self {
        Self {
            project_id,
            number,
            name,
            description: None,
            due_at: None,
            priority: 0,
            labels: String::new(),
            completed_at: None,
            created_at: now,
            updated_at: Some(now),
        }
    }

    pub fn view(&self, now: DateTime<Utc>) -> TaskView<'_> {
        TaskView {
            project_id: self.project_id,
            number: self.number,
            name: &self.name,
            description: self.description.as_deref(),
            due_at: self.due_at,
            priority: usize::try_from(self.priority)
                .ok()
                .and_then(|rank| PRIORITIES.get(rank))
                .copied()
                .unwrap_or("none"),
            labels: self.labels.split(',').filter(|l| !l.is_empty()).collect(),
            completed_at: self.completed_at,
            created_at: self.created_at,
            updated_at: self.updated_at.unwrap_or(self.created_at),
            overdue: self.completed_at.is_none() && self.due_at.is_some_and(|due| due < now),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    tasks: Vec<TaskView<'a>>,
    next_cursor: Option<String>,
}

/// The first 12 hex digits of the digest the service gives the unfiltered list in number
/// order, which is what its cursors carry; `scripts/bench.sh` checks that both answer the
/// same page, cursor included.
const NUMBER_ORDER_DIGEST: &str = "9df0fb35d5bb";

/// A page of `limit` tasks from `rows` (which holds one more when there is a next page).
pub fn page_json(mut rows: Vec<TaskRow>, limit: usize, now: DateTime<Utc>) -> Vec<u8> {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(format!(
            "tn{NUMBER_ORDER_DIGEST}..{}.{}",
            last.project_id.simple(),
            last.number
        )),
        _ => None,
    };
    let page = Page {
        tasks: rows.iter().map(|row| row.view(now)).collect(),
        next_cursor,
    };
    serde_json::to_vec(&page).unwrap_or_default()
}

/// The answer to a task's creation, and its entity tag: the service's is a SHA-256 digest
/// of the view's fields (ADR 0022), this one of its JSON, which costs the same.
pub fn task_json(row: &TaskRow, now: DateTime<Utc>) -> (Vec<u8>, String) {
    let body = serde_json::to_vec(&row.view(now)).unwrap_or_default();
    let digest = Sha256::digest(&body);
    let tag = digest
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect::<String>();
    (body, format!("\"{tag}\""))
}
