use chrono::{DateTime, Utc};
use shared_kernel_domain::{AggregateRoot, DomainEvents, UserId};

use crate::{
    ProjectArchived, ProjectCreated, ProjectDeleted, ProjectError, ProjectId, ProjectName,
    ProjectUnarchived, Task, TaskAdded, TaskCompleted, TaskName, TaskNumber, TaskReopened,
};

/// The most incomplete tasks a project may have at once, when it has a maximum at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IncompleteTaskLimit(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be between {min} and {max}", min = IncompleteTaskLimit::MIN, max = IncompleteTaskLimit::MAX)]
pub struct IncompleteTaskLimitError;

impl IncompleteTaskLimit {
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 10_000;

    pub fn new(limit: i64) -> Result<Self, IncompleteTaskLimitError> {
        u32::try_from(limit)
            .ok()
            .filter(|limit| (Self::MIN..=Self::MAX).contains(limit))
            .map(Self)
            .ok_or(IncompleteTaskLimitError)
    }

    pub fn get(&self) -> u32 {
        self.0
    }
}

/// A project and its tasks: the projects context's aggregate root.
///
/// Its invariants: tasks are numbered 1, 2, 3… and a number is never reused; the number of
/// incomplete tasks never exceeds the maximum; an archived project has only completed tasks
/// and changes no more until it is unarchived; a deleted project changes no more at all.
#[derive(Debug, Clone)]
pub struct Project {
    id: ProjectId,
    owner: UserId,
    name: ProjectName,
    incomplete_task_limit: Option<IncompleteTaskLimit>,
    last_task_number: u32,
    /// Ordered by number.
    tasks: Vec<Task>,
    archived_at: Option<DateTime<Utc>>,
    deleted_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    version: u64,
    events: DomainEvents,
}

/// A project's whole state, for a repository to rebuild it.
#[derive(Debug, Clone)]
pub struct ProjectSnapshot {
    pub id: ProjectId,
    pub owner: UserId,
    pub name: ProjectName,
    pub incomplete_task_limit: Option<IncompleteTaskLimit>,
    pub last_task_number: u32,
    pub tasks: Vec<Task>,
    pub archived_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: u64,
}

impl Project {
    pub fn create(
        id: ProjectId,
        owner: UserId,
        name: ProjectName,
        incomplete_task_limit: Option<IncompleteTaskLimit>,
        now: DateTime<Utc>,
    ) -> Self {
        let mut project = Self::restore(ProjectSnapshot {
            id,
            owner,
            name,
            incomplete_task_limit,
            last_task_number: 0,
            tasks: Vec::new(),
            archived_at: None,
            deleted_at: None,
            created_at: now,
            version: 0,
        });
        project.events.record(ProjectCreated {
            project_id: id,
            owner,
            occurred_at: now,
        });
        project
    }

    pub fn restore(snapshot: ProjectSnapshot) -> Self {
        let mut tasks = snapshot.tasks;
        tasks.sort_by_key(Task::number);
        Self {
            id: snapshot.id,
            owner: snapshot.owner,
            name: snapshot.name,
            incomplete_task_limit: snapshot.incomplete_task_limit,
            last_task_number: snapshot.last_task_number,
            tasks,
            archived_at: snapshot.archived_at,
            deleted_at: snapshot.deleted_at,
            created_at: snapshot.created_at,
            version: snapshot.version,
            events: DomainEvents::default(),
        }
    }

    /// Renames the project and sets (or lifts) its maximum of incomplete tasks.
    pub fn update(
        &mut self,
        name: ProjectName,
        incomplete_task_limit: Option<IncompleteTaskLimit>,
    ) -> Result<(), ProjectError> {
        self.ensure_changeable()?;
        if let Some(limit) = incomplete_task_limit {
            let incomplete = self.incomplete_task_count();
            if incomplete > limit.get() {
                return Err(ProjectError::MaximumBelowIncompleteCount {
                    requested: limit.get(),
                    incomplete,
                });
            }
        }
        self.name = name;
        self.incomplete_task_limit = incomplete_task_limit;
        Ok(())
    }

    pub fn archive(&mut self, now: DateTime<Utc>) -> Result<(), ProjectError> {
        self.ensure_changeable()?;
        let incomplete = self.incomplete_task_count();
        if incomplete > 0 {
            return Err(ProjectError::HasIncompleteTasks { incomplete });
        }
        self.archived_at = Some(now);
        self.events.record(ProjectArchived {
            project_id: self.id,
            occurred_at: now,
        });
        Ok(())
    }

    pub fn unarchive(&mut self, now: DateTime<Utc>) -> Result<(), ProjectError> {
        self.ensure_not_deleted()?;
        if self.archived_at.is_none() {
            return Err(ProjectError::NotArchived);
        }
        self.archived_at = None;
        self.events.record(ProjectUnarchived {
            project_id: self.id,
            occurred_at: now,
        });
        Ok(())
    }

    /// A soft delete, only of an archived project: it disappears from every read and
    /// refuses every command from then on.
    pub fn delete(&mut self, now: DateTime<Utc>) -> Result<(), ProjectError> {
        self.ensure_not_deleted()?;
        if self.archived_at.is_none() {
            return Err(ProjectError::NotArchived);
        }
        self.deleted_at = Some(now);
        self.events.record(ProjectDeleted {
            project_id: self.id,
            occurred_at: now,
        });
        Ok(())
    }

    /// Adds an incomplete task with the next number.
    pub fn add_task(&mut self, name: TaskName, now: DateTime<Utc>) -> Result<&Task, ProjectError> {
        self.ensure_changeable()?;
        self.ensure_room_for_one_more_incomplete_task()?;
        self.last_task_number += 1;
        let number = TaskNumber::new(self.last_task_number);
        self.tasks.push(Task::restore(number, name, None, now));
        self.events.record(TaskAdded {
            project_id: self.id,
            number,
            occurred_at: now,
        });
        Ok(&self.tasks[self.tasks.len() - 1])
    }

    pub fn rename_task(
        &mut self,
        number: TaskNumber,
        name: TaskName,
    ) -> Result<&Task, ProjectError> {
        let index = self.task_index(number)?;
        self.ensure_changeable()?;
        self.tasks[index].rename(name);
        Ok(&self.tasks[index])
    }

    /// Completes a task; completing a completed task changes nothing.
    pub fn complete_task(
        &mut self,
        number: TaskNumber,
        now: DateTime<Utc>,
    ) -> Result<&Task, ProjectError> {
        let index = self.task_index(number)?;
        self.ensure_changeable()?;
        if self.tasks[index].complete(now) {
            self.events.record(TaskCompleted {
                project_id: self.id,
                number,
                occurred_at: now,
            });
        }
        Ok(&self.tasks[index])
    }

    /// Marks a task incomplete again, if the maximum leaves room; an incomplete task stays as
    /// it is.
    pub fn incomplete_task(
        &mut self,
        number: TaskNumber,
        now: DateTime<Utc>,
    ) -> Result<&Task, ProjectError> {
        let index = self.task_index(number)?;
        self.ensure_changeable()?;
        if self.tasks[index].is_completed() {
            self.ensure_room_for_one_more_incomplete_task()?;
            self.tasks[index].reopen();
            self.events.record(TaskReopened {
                project_id: self.id,
                number,
                occurred_at: now,
            });
        }
        Ok(&self.tasks[index])
    }

    fn ensure_not_deleted(&self) -> Result<(), ProjectError> {
        match self.deleted_at {
            Some(_) => Err(ProjectError::Deleted),
            None => Ok(()),
        }
    }

    fn ensure_changeable(&self) -> Result<(), ProjectError> {
        self.ensure_not_deleted()?;
        match self.archived_at {
            Some(_) => Err(ProjectError::Archived),
            None => Ok(()),
        }
    }

    fn ensure_room_for_one_more_incomplete_task(&self) -> Result<(), ProjectError> {
        match self.incomplete_task_limit {
            Some(limit) if self.incomplete_task_count() >= limit.get() => {
                Err(ProjectError::TooManyIncompleteTasks { max: limit.get() })
            }
            _ => Ok(()),
        }
    }

    fn task_index(&self, number: TaskNumber) -> Result<usize, ProjectError> {
        self.tasks
            .binary_search_by_key(&number, Task::number)
            .map_err(|_| ProjectError::TaskNotFound(number))
    }

    pub fn id(&self) -> ProjectId {
        self.id
    }

    pub fn owner(&self) -> UserId {
        self.owner
    }

    pub fn name(&self) -> &ProjectName {
        &self.name
    }

    pub fn incomplete_task_limit(&self) -> Option<IncompleteTaskLimit> {
        self.incomplete_task_limit
    }

    pub fn last_task_number(&self) -> u32 {
        self.last_task_number
    }

    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    pub fn task(&self, number: TaskNumber) -> Option<&Task> {
        self.task_index(number).ok().map(|index| &self.tasks[index])
    }

    pub fn task_count(&self) -> u32 {
        u32::try_from(self.tasks.len()).unwrap_or(u32::MAX)
    }

    pub fn incomplete_task_count(&self) -> u32 {
        let incomplete = self.tasks.iter().filter(|t| !t.is_completed()).count();
        u32::try_from(incomplete).unwrap_or(u32::MAX)
    }

    pub fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.archived_at
    }

    pub fn deleted_at(&self) -> Option<DateTime<Utc>> {
        self.deleted_at
    }

    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// The version the project was loaded at, for optimistic concurrency in the repository.
    pub fn version(&self) -> u64 {
        self.version
    }
}

impl AggregateRoot for Project {
    fn events(&self) -> &DomainEvents {
        &self.events
    }

    fn events_mut(&mut self) -> &mut DomainEvents {
        &mut self.events
    }
}

#[cfg(test)]
mod tests;
