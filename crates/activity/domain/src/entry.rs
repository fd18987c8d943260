use std::fmt;

use chrono::{DateTime, Utc};
use projects_contracts::{ProjectId, TaskNumber};
use shared_kernel_domain::UserId;
use uuid::Uuid;

/// An entry's identity: the id of the event it tells of, so that one event is one entry. A
/// UUIDv7, so that entries sort in the order their events were recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(Uuid);

impl EntryId {
    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What an entry tells of: the event it was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
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

impl EntryKind {
    pub const ALL: [Self; 10] = [
        Self::ProjectCreated,
        Self::ProjectUpdated,
        Self::ProjectArchived,
        Self::ProjectUnarchived,
        Self::ProjectDeleted,
        Self::TaskAdded,
        Self::TaskRenamed,
        Self::TaskCompleted,
        Self::TaskReopened,
        Self::TaskUpdated,
    ];

    /// The event's name in snake_case: what clients read as the entry's `type`, and what is
    /// stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProjectCreated => "project_created",
            Self::ProjectUpdated => "project_updated",
            Self::ProjectArchived => "project_archived",
            Self::ProjectUnarchived => "project_unarchived",
            Self::ProjectDeleted => "project_deleted",
            Self::TaskAdded => "task_added",
            Self::TaskRenamed => "task_renamed",
            Self::TaskCompleted => "task_completed",
            Self::TaskReopened => "task_reopened",
            Self::TaskUpdated => "task_updated",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// One line of a project's history: what happened, when, to which task, in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: EntryId,
    pub project_id: ProjectId,
    /// Whose project it is, so that a user's entries read without the project.
    pub owner: UserId,
    pub kind: EntryKind,
    pub task_number: Option<TaskNumber>,
    /// A short English sentence, written with the names known when it happened.
    pub summary: String,
    pub occurred_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for kind in EntryKind::ALL {
            assert_eq!(EntryKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EntryKind::parse("project_exploded"), None);
    }
}
