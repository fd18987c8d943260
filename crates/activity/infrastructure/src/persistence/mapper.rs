//! Translates between the activity domain's types and rows of the `activity_*` tables. A
//! stored row that breaks a rule was changed behind the application's back: an
//! infrastructure failure, never a client's mistake.

use activity_domain::{Entry, EntryKind, TrackedProject, TrackedTask};
use projects_contracts::{ProjectId, TaskNumber};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

use super::entities::{entry, tracked_project, tracked_task};

fn to_i32(value: u32) -> Result<i32, InfrastructureError> {
    i32::try_from(value).map_err(InfrastructureError::during("storing a number"))
}

pub fn to_u32(value: i32, what: &'static str) -> Result<u32, InfrastructureError> {
    u32::try_from(value).map_err(InfrastructureError::during(what))
}

pub fn project_row(
    project: &TrackedProject,
) -> Result<tracked_project::Model, InfrastructureError> {
    Ok(tracked_project::Model {
        project_id: project.id().as_uuid(),
        owner_id: project.owner().as_uuid(),
        name: project.name().map(str::to_owned),
        max_incomplete_tasks: project.max_incomplete_tasks().map(to_i32).transpose()?,
        deleted_at: project.deleted_at(),
    })
}

pub fn task_row(
    project: ProjectId,
    task: &TrackedTask,
) -> Result<tracked_task::Model, InfrastructureError> {
    Ok(tracked_task::Model {
        project_id: project.as_uuid(),
        number: to_i32(task.number.get())?,
        name: task.name.clone(),
    })
}

pub fn project_from_rows(
    row: tracked_project::Model,
    task: Option<tracked_task::Model>,
) -> Result<TrackedProject, InfrastructureError> {
    let task = task
        .map(|task| -> Result<_, InfrastructureError> {
            Ok(TrackedTask {
                number: TaskNumber::new(to_u32(task.number, "reading a stored task number")?),
                name: task.name,
            })
        })
        .transpose()?;
    Ok(TrackedProject::restore(
        ProjectId::from_uuid(row.project_id),
        UserId::from_uuid(row.owner_id),
        row.name,
        row.max_incomplete_tasks
            .map(|max| to_u32(max, "reading a stored maximum"))
            .transpose()?,
        row.deleted_at,
        task,
    ))
}

pub fn entry_row(entry: &Entry) -> Result<entry::Model, InfrastructureError> {
    Ok(entry::Model {
        id: entry.id.as_uuid(),
        project_id: entry.project_id.as_uuid(),
        owner_id: entry.owner.as_uuid(),
        event_type: entry.kind.as_str().to_owned(),
        task_number: entry.task_number.map(|n| to_i32(n.get())).transpose()?,
        summary: entry.summary.clone(),
        occurred_at: entry.occurred_at,
    })
}

pub fn entry_kind(stored: &str) -> Result<EntryKind, InfrastructureError> {
    EntryKind::parse(stored).ok_or_else(|| {
        InfrastructureError::new("reading a stored entry", format!("unknown kind {stored:?}"))
    })
}
