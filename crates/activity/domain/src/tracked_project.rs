use chrono::{DateTime, Utc};
use projects_contracts::{ProjectId, TaskChange, TaskNumber};
use shared_kernel_domain::UserId;

use crate::summary;
use crate::{Entry, EntryId, EntryKind};

/// What the activity context knows of one project, learned from its events alone: whose it
/// is, what it is called and how many incomplete tasks it allows, whether it is deleted, and
/// the name of the one task the event at hand is about. It turns each change into an entry,
/// and learns from it.
///
/// Like the projects context's `Project`, a copy holds only the task its change is about (the
/// repository loads that one), so a change costs the same whatever the project's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedProject {
    id: ProjectId,
    owner: UserId,
    name: Option<String>,
    max_incomplete_tasks: Option<u32>,
    deleted_at: Option<DateTime<Utc>>,
    task: Option<TrackedTask>,
}

/// A task, as the activity context knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedTask {
    pub number: TaskNumber,
    /// Not known for a task added before names were part of the events.
    pub name: Option<String>,
}

/// What happened to a project after its creation, as the projects context published it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Updated {
        name: String,
        max_incomplete_tasks: Option<u32>,
    },
    Archived,
    Unarchived,
    Deleted,
    TaskAdded {
        number: TaskNumber,
        name: Option<String>,
    },
    TaskRenamed {
        number: TaskNumber,
        name: String,
    },
    TaskCompleted {
        number: TaskNumber,
    },
    TaskReopened {
        number: TaskNumber,
    },
    /// Its details (not its name) changed: each change gives the new value.
    TaskUpdated {
        number: TaskNumber,
        changes: Vec<TaskChange>,
    },
}

impl Change {
    /// The task whose record the change reads (for its name), which the project must be
    /// loaded with: none for a task being added, which has no record yet.
    pub fn task_to_load(&self) -> Option<TaskNumber> {
        match self {
            Self::TaskAdded { .. } => None,
            change => change.task(),
        }
    }

    /// The task the change is about.
    pub fn task(&self) -> Option<TaskNumber> {
        match self {
            Self::Updated { .. } | Self::Archived | Self::Unarchived | Self::Deleted => None,
            Self::TaskAdded { number, .. }
            | Self::TaskRenamed { number, .. }
            | Self::TaskCompleted { number }
            | Self::TaskReopened { number }
            | Self::TaskUpdated { number, .. } => Some(*number),
        }
    }
}

impl TrackedProject {
    /// A project heard of for the first time, at its creation, and the entry that tells of it.
    pub fn created(
        id: ProjectId,
        owner: UserId,
        name: Option<String>,
        max_incomplete_tasks: Option<u32>,
        entry: EntryId,
        at: DateTime<Utc>,
    ) -> (Self, Entry) {
        let project = Self {
            id,
            owner,
            name,
            max_incomplete_tasks,
            deleted_at: None,
            task: None,
        };
        let summary = format!("{} was created", summary::project(project.name()));
        let entry = project.entry(entry, EntryKind::ProjectCreated, None, summary, at);
        (project, entry)
    }

    /// A project as stored, with the task a change is about if it has one.
    pub fn restore(
        id: ProjectId,
        owner: UserId,
        name: Option<String>,
        max_incomplete_tasks: Option<u32>,
        deleted_at: Option<DateTime<Utc>>,
        task: Option<TrackedTask>,
    ) -> Self {
        Self {
            id,
            owner,
            name,
            max_incomplete_tasks,
            deleted_at,
            task,
        }
    }

    /// Learns from `change` and returns the entry that tells of it, summarised with the names
    /// known before the change.
    pub fn record(&mut self, change: Change, entry: EntryId, at: DateTime<Utc>) -> Entry {
        let task_number = change.task();
        let project = summary::project(self.name());
        let (kind, summary) = match change {
            Change::Updated {
                name,
                max_incomplete_tasks,
            } => {
                let summary = summary::project_updated(
                    (self.name(), self.max_incomplete_tasks),
                    (&name, max_incomplete_tasks),
                );
                self.name = Some(name);
                self.max_incomplete_tasks = max_incomplete_tasks;
                (EntryKind::ProjectUpdated, summary)
            }
            Change::Archived => (
                EntryKind::ProjectArchived,
                format!("{project} was archived"),
            ),
            Change::Unarchived => (
                EntryKind::ProjectUnarchived,
                format!("{project} was unarchived"),
            ),
            Change::Deleted => {
                self.deleted_at = Some(at);
                (EntryKind::ProjectDeleted, format!("{project} was deleted"))
            }
            Change::TaskAdded { number, name } => {
                let summary = format!("{} was added", summary::task(number, name.as_deref()));
                self.task = Some(TrackedTask { number, name });
                (EntryKind::TaskAdded, summary)
            }
            Change::TaskRenamed { number, name } => {
                let summary = format!(
                    "{} was renamed to “{name}”",
                    summary::task(number, self.task_name(number))
                );
                self.task = Some(TrackedTask {
                    number,
                    name: Some(name),
                });
                (EntryKind::TaskRenamed, summary)
            }
            Change::TaskCompleted { number } => (
                EntryKind::TaskCompleted,
                format!(
                    "{} was completed",
                    summary::task(number, self.task_name(number))
                ),
            ),
            Change::TaskReopened { number } => (
                EntryKind::TaskReopened,
                format!(
                    "{} was reopened",
                    summary::task(number, self.task_name(number))
                ),
            ),
            Change::TaskUpdated { number, changes } => (
                EntryKind::TaskUpdated,
                summary::task_updated(&summary::task(number, self.task_name(number)), &changes),
            ),
        };
        self.entry(entry, kind, task_number, summary, at)
    }

    fn entry(
        &self,
        id: EntryId,
        kind: EntryKind,
        task_number: Option<TaskNumber>,
        summary: String,
        occurred_at: DateTime<Utc>,
    ) -> Entry {
        Entry {
            id,
            project_id: self.id,
            owner: self.owner,
            kind,
            task_number,
            summary,
            occurred_at,
        }
    }

    /// The name of task `number`, if this copy holds it and knows its name.
    fn task_name(&self, number: TaskNumber) -> Option<&str> {
        self.task
            .as_ref()
            .filter(|task| task.number == number)
            .and_then(|task| task.name.as_deref())
    }

    pub fn id(&self) -> ProjectId {
        self.id
    }

    pub fn owner(&self) -> UserId {
        self.owner
    }

    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub fn max_incomplete_tasks(&self) -> Option<u32> {
        self.max_incomplete_tasks
    }

    pub fn deleted_at(&self) -> Option<DateTime<Utc>> {
        self.deleted_at
    }

    /// The task this copy holds: the one the repository loaded, or the one the last change
    /// added or renamed.
    pub fn task(&self) -> Option<&TrackedTask> {
        self.task.as_ref()
    }
}

#[cfg(test)]
mod tests;
