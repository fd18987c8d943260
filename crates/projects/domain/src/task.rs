use chrono::{DateTime, Utc};
use projects_contracts::TaskChange;

use crate::{DueAt, Labels, TaskDescription, TaskDetails, TaskName, TaskNumber, TaskPriority};

/// A task: an entity inside the `Project` aggregate, changed only through its project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    number: TaskNumber,
    name: TaskName,
    details: TaskDetails,
    completed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    /// When anything about the task last changed; its creation until then.
    updated_at: DateTime<Utc>,
}

/// A task's state, as a repository stores it and restores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSnapshot {
    pub number: TaskNumber,
    pub name: TaskName,
    pub details: TaskDetails,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Task {
    /// A task as stored.
    pub fn restore(snapshot: TaskSnapshot) -> Self {
        Self {
            number: snapshot.number,
            name: snapshot.name,
            details: snapshot.details,
            completed_at: snapshot.completed_at,
            created_at: snapshot.created_at,
            updated_at: snapshot.updated_at,
        }
    }

    /// A new, incomplete task.
    pub(crate) fn new(
        number: TaskNumber,
        name: TaskName,
        details: TaskDetails,
        now: DateTime<Utc>,
    ) -> Self {
        Self::restore(TaskSnapshot {
            number,
            name,
            details,
            completed_at: None,
            created_at: now,
            updated_at: now,
        })
    }

    pub fn number(&self) -> TaskNumber {
        self.number
    }

    pub fn name(&self) -> &TaskName {
        &self.name
    }

    pub fn description(&self) -> Option<&TaskDescription> {
        self.details.description.as_ref()
    }

    pub fn due_at(&self) -> Option<DueAt> {
        self.details.due_at
    }

    pub fn priority(&self) -> TaskPriority {
        self.details.priority
    }

    pub fn labels(&self) -> &Labels {
        &self.details.labels
    }

    pub fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.completed_at
    }

    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }

    pub fn is_completed(&self) -> bool {
        self.completed_at.is_some()
    }

    /// Whether the task is late at `now`: incomplete, and due before `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        is_overdue(self.completed_at, self.due_at(), now)
    }

    /// Returns whether anything changed.
    pub(crate) fn rename(&mut self, name: TaskName, now: DateTime<Utc>) -> bool {
        if self.name == name {
            return false;
        }
        self.name = name;
        self.updated_at = now;
        true
    }

    /// Sets the details the patch names; returns what changed (nothing for values the task
    /// already has), in the order `TaskChange` lists them.
    pub(crate) fn change_details(
        &mut self,
        description: Option<Option<TaskDescription>>,
        due_at: Option<Option<DueAt>>,
        priority: Option<TaskPriority>,
        labels: Option<Labels>,
        now: DateTime<Utc>,
    ) -> Vec<TaskChange> {
        let details = &mut self.details;
        let mut changes = Vec::new();
        if let Some(description) = description.filter(|d| *d != details.description) {
            changes.push(TaskChange::Description(
                description.as_ref().map(TaskDescription::to_string),
            ));
            details.description = description;
        }
        if let Some(due_at) = due_at.filter(|d| *d != details.due_at) {
            changes.push(TaskChange::DueAt(due_at.map(|due| due.get())));
            details.due_at = due_at;
        }
        if let Some(priority) = priority.filter(|p| *p != details.priority) {
            changes.push(TaskChange::Priority(priority));
            details.priority = priority;
        }
        if let Some(labels) = labels.filter(|l| *l != details.labels) {
            changes.push(TaskChange::Labels(labels.to_strings()));
            details.labels = labels;
        }
        if !changes.is_empty() {
            self.updated_at = now;
        }
        changes
    }

    /// Returns whether anything changed: completing a completed task keeps its first
    /// `completed_at`.
    pub(crate) fn complete(&mut self, now: DateTime<Utc>) -> bool {
        if self.completed_at.is_some() {
            return false;
        }
        self.completed_at = Some(now);
        self.updated_at = now;
        true
    }

    /// Returns whether anything changed.
    pub(crate) fn reopen(&mut self, now: DateTime<Utc>) -> bool {
        if self.completed_at.take().is_none() {
            return false;
        }
        self.updated_at = now;
        true
    }
}

/// The rule of `Task::is_overdue`, for a read model that has the fields but not the task.
pub fn is_overdue(
    completed_at: Option<DateTime<Utc>>,
    due_at: Option<DueAt>,
    now: DateTime<Utc>,
) -> bool {
    completed_at.is_none() && due_at.is_some_and(|due| due.get() < now)
}
