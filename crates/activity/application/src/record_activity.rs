//! The activity context's one reaction: an entry for every projects event it hears.

use std::sync::Arc;

use activity_domain::{Change, EntryId, TrackedProject};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use projects_contracts::{
    ProjectArchived, ProjectCreated, ProjectDeleted, ProjectId, ProjectUnarchived, ProjectUpdated,
    TaskAdded, TaskCompleted, TaskRenamed, TaskReopened, TaskUpdated,
};
use shared_kernel_application::{EventHandler, EventHandlerError, EventId};

use crate::ports::ActivityUnitOfWorkFactory;

/// Writes the entry of each projects event, and learns from it what the next entries need
/// (whose the project is, what it and its tasks are called).
///
/// The inbox entry, the record and the entry commit together, so that however often an event
/// arrives, it is told once. An event of a project whose creation was never heard (it was
/// created before the context was deployed) writes nothing: the context cannot say whose it
/// is, and its history starts when the context is deployed.
pub struct RecordActivity {
    pub unit_of_work: Arc<ActivityUnitOfWorkFactory>,
}

impl RecordActivity {
    /// The inbox knows the handler by this name: never change it.
    pub const NAME: &'static str = "activity.RecordActivity";

    async fn created(&self, event: &ProjectCreated, id: EventId) -> Result<(), EventHandlerError> {
        let unit_of_work = self.unit_of_work.begin().await?;
        if !unit_of_work.inbox().first_delivery(Self::NAME, id).await? {
            return Ok(());
        }
        let (project, entry) = TrackedProject::created(
            event.project_id,
            event.owner,
            event.name.clone(),
            event.max_incomplete_tasks,
            entry_id(id),
            event.occurred_at,
        );
        unit_of_work.projects().add(&project).await?;
        unit_of_work.entries().add(&entry).await?;
        unit_of_work.commit().await?;
        Ok(())
    }

    async fn changed(
        &self,
        project: ProjectId,
        change: Change,
        id: EventId,
        occurred_at: DateTime<Utc>,
    ) -> Result<(), EventHandlerError> {
        let unit_of_work = self.unit_of_work.begin().await?;
        if !unit_of_work.inbox().first_delivery(Self::NAME, id).await? {
            return Ok(());
        }
        let Some(mut project) = unit_of_work
            .projects()
            .get(project, change.task_to_load())
            .await?
        else {
            // Never heard of: the dropped Unit of Work writes nothing, inbox entry included.
            return Ok(());
        };
        let entry = project.record(change, entry_id(id), occurred_at);
        unit_of_work.projects().update(&project).await?;
        unit_of_work.entries().add(&entry).await?;
        unit_of_work.commit().await?;
        Ok(())
    }
}

/// An entry is known by the id of the event it tells of.
fn entry_id(event: EventId) -> EntryId {
    EntryId::from_uuid(event.as_uuid())
}

#[async_trait]
impl EventHandler<ProjectCreated> for RecordActivity {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    async fn handle(&self, event: &ProjectCreated, id: EventId) -> Result<(), EventHandlerError> {
        self.created(event, id).await
    }
}

/// `RecordActivity` hears `$event` as the change `$change` makes of it.
macro_rules! records_change {
    ($($event:ident => |$e:ident| $change:expr;)*) => {
        $(#[async_trait]
        impl EventHandler<$event> for RecordActivity {
            fn name(&self) -> &'static str {
                Self::NAME
            }

            async fn handle(&self, $e: &$event, id: EventId) -> Result<(), EventHandlerError> {
                self.changed($e.project_id, $change, id, $e.occurred_at).await
            }
        })*
    };
}

records_change! {
    ProjectUpdated => |event| Change::Updated {
        name: event.name.clone(),
        max_incomplete_tasks: event.max_incomplete_tasks,
    };
    ProjectArchived => |event| Change::Archived;
    ProjectUnarchived => |event| Change::Unarchived;
    ProjectDeleted => |event| Change::Deleted;
    TaskAdded => |event| Change::TaskAdded {
        number: event.number,
        name: event.name.clone(),
    };
    TaskRenamed => |event| Change::TaskRenamed {
        number: event.number,
        name: event.name.clone(),
    };
    TaskCompleted => |event| Change::TaskCompleted { number: event.number };
    TaskReopened => |event| Change::TaskReopened { number: event.number };
    TaskUpdated => |event| Change::TaskUpdated {
        number: event.number,
        changes: event.changes.clone(),
    };
}

#[cfg(test)]
mod tests;
