//! Translates between the `Project` aggregate and rows of `projects_projects` and
//! `projects_tasks`.

use projects_domain::{
    DueAt, IncompleteTaskLimit, Labels, Project, ProjectId, ProjectName, ProjectSnapshot, Task,
    TaskDescription, TaskDetails, TaskName, TaskNumber, TaskPriority, TaskSnapshot,
};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

use super::entities::{project, task};

// A stored row that breaks a domain rule was changed behind the application's back: that is
// an infrastructure failure, never a client's mistake.

pub fn to_u32(value: i32, what: &'static str) -> Result<u32, InfrastructureError> {
    u32::try_from(value).map_err(InfrastructureError::during(what))
}

pub fn to_i32(value: u32) -> Result<i32, InfrastructureError> {
    i32::try_from(value).map_err(InfrastructureError::during("storing a count"))
}

/// The project of `row`, holding the tasks of `tasks` (the ones its command needs).
pub fn project_from_rows(
    row: &project::Model,
    tasks: &[task::Model],
) -> Result<Project, InfrastructureError> {
    let loaded_tasks = tasks
        .iter()
        .map(task_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Project::restore(ProjectSnapshot {
        id: ProjectId::from_uuid(row.id),
        owner: UserId::from_uuid(row.owner_id),
        name: ProjectName::parse(&row.name).map_err(InfrastructureError::during(
            "reading a stored project's name",
        ))?,
        incomplete_task_limit: row
            .max_incomplete_tasks
            .map(|max| IncompleteTaskLimit::new(i64::from(max)))
            .transpose()
            .map_err(InfrastructureError::during(
                "reading a stored project's maximum",
            ))?,
        last_task_number: to_u32(row.last_task_number, "reading a stored task counter")?,
        task_count: to_u32(row.task_count, "reading a stored task counter")?,
        incomplete_task_count: to_u32(row.incomplete_task_count, "reading a stored task counter")?,
        loaded_tasks,
        archived_at: row.archived_at,
        deleted_at: row.deleted_at,
        created_at: row.created_at,
        version: u64::try_from(row.version).map_err(InfrastructureError::during(
            "reading a stored project's version",
        ))?,
    }))
}

fn task_from_row(row: &task::Model) -> Result<Task, InfrastructureError> {
    let description = row
        .description
        .as_deref()
        .map(TaskDescription::parse)
        .transpose()
        .map_err(InfrastructureError::during(
            "reading a stored task's description",
        ))?;
    Ok(Task::restore(TaskSnapshot {
        number: TaskNumber::new(to_u32(row.number, "reading a stored task number")?),
        name: TaskName::parse(&row.name)
            .map_err(InfrastructureError::during("reading a stored task's name"))?,
        details: TaskDetails {
            description,
            due_at: row.due_at.map(DueAt::new),
            priority: priority_from_rank(row.priority)?,
            labels: Labels::parse(&stored_labels(&row.labels)).map_err(
                InfrastructureError::during("reading a stored task's labels"),
            )?,
        },
        completed_at: row.completed_at,
        created_at: row.created_at,
        updated_at: row.updated_at.unwrap_or(row.created_at),
    }))
}

pub fn priority_from_rank(rank: i16) -> Result<TaskPriority, InfrastructureError> {
    u8::try_from(rank)
        .ok()
        .and_then(TaskPriority::from_rank)
        .ok_or_else(|| {
            InfrastructureError::new(
                "reading a stored task's priority",
                format!("{rank} is no priority's rank"),
            )
        })
}

pub fn priority_rank(priority: TaskPriority) -> i16 {
    i16::from(priority.rank())
}

/// The labels of a `labels` column (`,home,work,`), as text.
pub fn stored_labels(column: &str) -> Vec<String> {
    column
        .split(',')
        .filter(|label| !label.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How `labels` are stored: between commas, `""` for none.
pub fn labels_column<S: AsRef<str>>(labels: impl IntoIterator<Item = S>) -> String {
    let mut column = String::new();
    for label in labels {
        if column.is_empty() {
            column.push(',');
        }
        column.push_str(label.as_ref());
        column.push(',');
    }
    column
}

/// The project's row as it should be stored, at `version`.
pub fn project_row(project: &Project, version: u64) -> Result<project::Model, InfrastructureError> {
    Ok(project::Model {
        id: project.id().as_uuid(),
        owner_id: project.owner().as_uuid(),
        name: project.name().to_string(),
        max_incomplete_tasks: project
            .incomplete_task_limit()
            .map(|limit| to_i32(limit.get()))
            .transpose()?,
        last_task_number: to_i32(project.last_task_number())?,
        task_count: to_i32(project.task_count())?,
        incomplete_task_count: to_i32(project.incomplete_task_count())?,
        archived_at: project.archived_at(),
        deleted_at: project.deleted_at(),
        created_at: project.created_at(),
        version: i64::try_from(version)
            .map_err(InfrastructureError::during("storing a version"))?,
    })
}

/// The row of `project`'s task `task`.
pub fn task_row(project: &Project, task: &Task) -> Result<task::Model, InfrastructureError> {
    Ok(task::Model {
        project_id: project.id().as_uuid(),
        number: to_i32(task.number().get())?,
        owner_id: Some(project.owner().as_uuid()),
        name: task.name().to_string(),
        description: task.description().map(TaskDescription::to_string),
        due_at: task.due_at().map(|due| due.get()),
        priority: priority_rank(task.priority()),
        labels: labels_column(task.labels().iter().map(|label| label.as_str())),
        completed_at: task.completed_at(),
        created_at: task.created_at(),
        updated_at: Some(task.updated_at()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_stored_between_commas_and_read_back() {
        assert_eq!(labels_column(["home", "work"]), ",home,work,");
        assert_eq!(labels_column(Vec::<String>::new()), "");
        assert_eq!(stored_labels(",home,work,"), ["home", "work"]);
        assert!(stored_labels("").is_empty());
    }

    #[test]
    fn priorities_are_stored_by_rank() {
        for priority in TaskPriority::ALL {
            assert_eq!(
                priority_from_rank(priority_rank(priority)).unwrap(),
                priority
            );
        }
        assert!(priority_from_rank(5).is_err());
        assert!(priority_from_rank(-1).is_err());
    }
}
