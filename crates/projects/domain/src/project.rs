use chrono::{DateTime, Utc};
use shared_kernel_domain::{AggregateRoot, DomainEvents, UserId};

use crate::{
    ProjectArchived, ProjectCreated, ProjectDeleted, ProjectError, ProjectId, ProjectName,
    ProjectUnarchived, ProjectUpdated, Task, TaskAdded, TaskCompleted, TaskDetails, TaskName,
    TaskNumber, TaskPatch, TaskRenamed, TaskReopened, TaskUpdated,
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
///
/// Every rule that spans the tasks needs only their counters, which the project keeps
/// itself. So a copy holds only the tasks its command works on: all of them for a project
/// created in this Unit of Work, otherwise the one task its repository loaded (or none) and
/// those added since. A write then costs the same whatever the project's size
/// (docs/decisions/0012-counters-not-task-lists.md).
#[derive(Debug, Clone)]
pub struct Project {
    id: ProjectId,
    owner: UserId,
    name: ProjectName,
    incomplete_task_limit: Option<IncompleteTaskLimit>,
    last_task_number: u32,
    task_count: u32,
    incomplete_task_count: u32,
    /// The tasks this copy holds, ordered by number.
    loaded_tasks: Vec<Task>,
    archived_at: Option<DateTime<Utc>>,
    deleted_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    version: u64,
    events: DomainEvents,
}

/// A project's state, for a repository to rebuild it: the project, its counters, and the
/// tasks loaded with it (any of them, or none).
#[derive(Debug, Clone)]
pub struct ProjectSnapshot {
    pub id: ProjectId,
    pub owner: UserId,
    pub name: ProjectName,
    pub incomplete_task_limit: Option<IncompleteTaskLimit>,
    pub last_task_number: u32,
    /// Every task of the project, loaded or not.
    pub task_count: u32,
    /// Every incomplete task of the project, loaded or not.
    pub incomplete_task_count: u32,
    pub loaded_tasks: Vec<Task>,
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
            task_count: 0,
            incomplete_task_count: 0,
            loaded_tasks: Vec::new(),
            archived_at: None,
            deleted_at: None,
            created_at: now,
            version: 0,
        });
        project.events.record(ProjectCreated {
            project_id: id,
            owner,
            name: Some(project.name.to_string()),
            max_incomplete_tasks: incomplete_task_limit.map(|limit| limit.get()),
            occurred_at: now,
        });
        project
    }

    pub fn restore(snapshot: ProjectSnapshot) -> Self {
        let mut loaded_tasks = snapshot.loaded_tasks;
        loaded_tasks.sort_by_key(Task::number);
        Self {
            id: snapshot.id,
            owner: snapshot.owner,
            name: snapshot.name,
            incomplete_task_limit: snapshot.incomplete_task_limit,
            last_task_number: snapshot.last_task_number,
            task_count: snapshot.task_count,
            incomplete_task_count: snapshot.incomplete_task_count,
            loaded_tasks,
            archived_at: snapshot.archived_at,
            deleted_at: snapshot.deleted_at,
            created_at: snapshot.created_at,
            version: snapshot.version,
            events: DomainEvents::default(),
        }
    }

    /// The state `restore` takes, with the tasks this copy holds.
    pub fn snapshot(&self) -> ProjectSnapshot {
        ProjectSnapshot {
            id: self.id,
            owner: self.owner,
            name: self.name.clone(),
            incomplete_task_limit: self.incomplete_task_limit,
            last_task_number: self.last_task_number,
            task_count: self.task_count,
            incomplete_task_count: self.incomplete_task_count,
            loaded_tasks: self.loaded_tasks.clone(),
            archived_at: self.archived_at,
            deleted_at: self.deleted_at,
            created_at: self.created_at,
            version: self.version,
        }
    }

    /// Renames the project and sets (or lifts) its maximum of incomplete tasks. The same name
    /// and maximum change nothing and record nothing.
    pub fn update(
        &mut self,
        name: ProjectName,
        incomplete_task_limit: Option<IncompleteTaskLimit>,
        now: DateTime<Utc>,
    ) -> Result<(), ProjectError> {
        self.ensure_changeable()?;
        if let Some(limit) = incomplete_task_limit {
            let incomplete = self.incomplete_task_count;
            if incomplete > limit.get() {
                return Err(ProjectError::MaximumBelowIncompleteCount {
                    requested: limit.get(),
                    incomplete,
                });
            }
        }
        if self.name == name && self.incomplete_task_limit == incomplete_task_limit {
            return Ok(());
        }
        self.name = name;
        self.incomplete_task_limit = incomplete_task_limit;
        self.events.record(ProjectUpdated {
            project_id: self.id,
            name: self.name.to_string(),
            max_incomplete_tasks: incomplete_task_limit.map(|limit| limit.get()),
            occurred_at: now,
        });
        Ok(())
    }

    pub fn archive(&mut self, now: DateTime<Utc>) -> Result<(), ProjectError> {
        self.ensure_changeable()?;
        let incomplete = self.incomplete_task_count;
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

    /// Adds an incomplete task with the next number, its name and its details.
    pub fn add_task(
        &mut self,
        name: TaskName,
        details: TaskDetails,
        now: DateTime<Utc>,
    ) -> Result<&Task, ProjectError> {
        self.ensure_changeable()?;
        self.ensure_room_for_one_more_incomplete_task()?;
        self.last_task_number += 1;
        self.task_count += 1;
        self.incomplete_task_count += 1;
        let number = TaskNumber::new(self.last_task_number);
        self.events.record(TaskAdded {
            project_id: self.id,
            number,
            name: Some(name.to_string()),
            occurred_at: now,
        });
        // The new number is above every other, so the list stays ordered.
        self.loaded_tasks
            .push(Task::new(number, name, details, now));
        Ok(&self.loaded_tasks[self.loaded_tasks.len() - 1])
    }

    /// Renames a task; its own name changes nothing and records nothing.
    pub fn rename_task(
        &mut self,
        number: TaskNumber,
        name: TaskName,
        now: DateTime<Utc>,
    ) -> Result<&Task, ProjectError> {
        self.update_task(
            number,
            TaskPatch {
                name: Some(name),
                ..TaskPatch::default()
            },
            now,
        )
    }

    /// Changes the fields `patch` names and leaves the others. A new name records
    /// `TaskRenamed`, other new values one `TaskUpdated` with each change; values the task
    /// already has change nothing and record nothing. An archived or deleted project refuses
    /// even a patch that would change nothing.
    pub fn update_task(
        &mut self,
        number: TaskNumber,
        patch: TaskPatch,
        now: DateTime<Utc>,
    ) -> Result<&Task, ProjectError> {
        let index = self.task_index(number)?;
        self.ensure_changeable()?;
        let TaskPatch {
            name,
            description,
            due_at,
            priority,
            labels,
        } = patch;
        let task = &mut self.loaded_tasks[index];
        if let Some(name) = name
            && task.rename(name, now)
        {
            self.events.record(TaskRenamed {
                project_id: self.id,
                number,
                name: task.name().to_string(),
                occurred_at: now,
            });
        }
        let changes = task.change_details(description, due_at, priority, labels, now);
        if !changes.is_empty() {
            self.events.record(TaskUpdated {
                project_id: self.id,
                number,
                changes,
                occurred_at: now,
            });
        }
        Ok(&self.loaded_tasks[index])
    }

    /// Completes a task; completing a completed task changes nothing.
    pub fn complete_task(
        &mut self,
        number: TaskNumber,
        now: DateTime<Utc>,
    ) -> Result<&Task, ProjectError> {
        let index = self.task_index(number)?;
        self.ensure_changeable()?;
        if self.loaded_tasks[index].complete(now) {
            // Saturating: a stored counter that was edited too low must not wrap around.
            self.incomplete_task_count = self.incomplete_task_count.saturating_sub(1);
            self.events.record(TaskCompleted {
                project_id: self.id,
                number,
                occurred_at: now,
            });
        }
        Ok(&self.loaded_tasks[index])
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
        if self.loaded_tasks[index].is_completed() {
            self.ensure_room_for_one_more_incomplete_task()?;
            self.loaded_tasks[index].reopen(now);
            self.incomplete_task_count += 1;
            self.events.record(TaskReopened {
                project_id: self.id,
                number,
                occurred_at: now,
            });
        }
        Ok(&self.loaded_tasks[index])
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
            Some(limit) if self.incomplete_task_count >= limit.get() => {
                Err(ProjectError::TooManyIncompleteTasks { max: limit.get() })
            }
            _ => Ok(()),
        }
    }

    /// Where task `number` is in this copy. A task the repository did not load is not found:
    /// loading the task a command names is the repository's part.
    fn task_index(&self, number: TaskNumber) -> Result<usize, ProjectError> {
        self.loaded_tasks
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

    /// The tasks this copy holds (see the type's documentation), ordered by number.
    pub fn loaded_tasks(&self) -> &[Task] {
        &self.loaded_tasks
    }

    pub fn task(&self, number: TaskNumber) -> Option<&Task> {
        self.task_index(number)
            .ok()
            .map(|index| &self.loaded_tasks[index])
    }

    /// Every task of the project, loaded or not.
    pub fn task_count(&self) -> u32 {
        self.task_count
    }

    /// Every incomplete task of the project, loaded or not.
    pub fn incomplete_task_count(&self) -> u32 {
        self.incomplete_task_count
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
