//! What the activity context shows.

use activity_domain::{Entry, EntryId, EntryKind};
use chrono::{DateTime, Utc};
use projects_contracts::ProjectId;

/// An entry as clients see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryView {
    pub id: EntryId,
    pub kind: EntryKind,
    pub occurred_at: DateTime<Utc>,
    pub project_id: ProjectId,
    pub task_number: Option<u32>,
    pub summary: String,
}

impl From<&Entry> for EntryView {
    fn from(entry: &Entry) -> Self {
        Self {
            id: entry.id,
            kind: entry.kind,
            occurred_at: entry.occurred_at,
            project_id: entry.project_id,
            task_number: entry.task_number.map(|number| number.get()),
            summary: entry.summary.clone(),
        }
    }
}
