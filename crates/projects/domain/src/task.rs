use chrono::{DateTime, Utc};

use crate::{TaskName, TaskNumber};

/// A task: an entity inside the `Project` aggregate, changed only through its project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    number: TaskNumber,
    name: TaskName,
    completed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl Task {
    /// A task as stored; also how the project creates new ones.
    pub fn restore(
        number: TaskNumber,
        name: TaskName,
        completed_at: Option<DateTime<Utc>>,
        created_at: DateTime<Utc>,
    ) -> Self {
        Self {
            number,
            name,
            completed_at,
            created_at,
        }
    }

    pub fn number(&self) -> TaskNumber {
        self.number
    }

    pub fn name(&self) -> &TaskName {
        &self.name
    }

    pub fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.completed_at
    }

    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    pub fn is_completed(&self) -> bool {
        self.completed_at.is_some()
    }

    /// Returns whether anything changed.
    pub(crate) fn rename(&mut self, name: TaskName) -> bool {
        if self.name == name {
            return false;
        }
        self.name = name;
        true
    }

    /// Returns whether anything changed: completing a completed task keeps its first
    /// `completed_at`.
    pub(crate) fn complete(&mut self, now: DateTime<Utc>) -> bool {
        if self.completed_at.is_some() {
            return false;
        }
        self.completed_at = Some(now);
        true
    }

    /// Returns whether anything changed.
    pub(crate) fn reopen(&mut self) -> bool {
        self.completed_at.take().is_some()
    }
}
