//! The entity tags of projects and tasks: digests of their views, the fields a client sees.
//!
//! One function per view, used both by the edge (the `ETag` it answers) and by the command
//! handlers (the `If-Match` they check), so that the two can never disagree. A tag is computed
//! over the view rather than the aggregate: a project's `version` moves on every save, even
//! one that changes nothing a client sees, and a view may show what no aggregate stores.

use shared_kernel_application::{EntityTag, Fingerprint};

use crate::{ProjectView, TaskView};

impl ProjectView {
    /// Changes exactly when the project's representation does: its name, maximum, counters
    /// (adding or completing a task moves them, renaming one does not) and archival.
    pub fn entity_tag(&self) -> EntityTag {
        // Taken apart whole, so that a field added to the view cannot be left out of its tag.
        let Self {
            id,
            name,
            max_incomplete_tasks,
            task_count,
            incomplete_task_count,
            archived_at,
            created_at,
        } = self;
        Fingerprint::of("project")
            .field(&id.as_uuid())
            .field(name)
            .field(max_incomplete_tasks)
            .field(task_count)
            .field(incomplete_task_count)
            .field(archived_at)
            .field(created_at)
            .finish()
    }
}

impl TaskView {
    /// Changes exactly when the task's representation does (`overdue` turning true
    /// included), and never because another task of its project changed.
    pub fn entity_tag(&self) -> EntityTag {
        let Self {
            project_id,
            number,
            name,
            description,
            due_at,
            priority,
            labels,
            completed_at,
            created_at,
            updated_at,
            overdue,
        } = self;
        Fingerprint::of("task")
            .field(&project_id.as_uuid())
            .field(number)
            .field(name)
            .field(description)
            .field(due_at)
            .field(priority.as_str())
            .field(labels)
            .field(completed_at)
            .field(created_at)
            .field(updated_at)
            .field(overdue)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, Utc};
    use projects_domain::{ProjectId, TaskPriority};

    use super::*;

    fn created() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-02T03:04:05.123456Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn project() -> ProjectView {
        ProjectView {
            id: ProjectId::from_uuid(uuid::Uuid::from_u128(1)),
            name: "Garden".into(),
            max_incomplete_tasks: Some(3),
            task_count: 2,
            incomplete_task_count: 1,
            archived_at: None,
            created_at: created(),
        }
    }

    fn task() -> TaskView {
        TaskView {
            project_id: ProjectId::from_uuid(uuid::Uuid::from_u128(1)),
            number: 1,
            name: "Water".into(),
            description: None,
            due_at: Some(created()),
            priority: TaskPriority::None,
            labels: vec!["garden".into()],
            completed_at: None,
            created_at: created(),
            updated_at: created(),
            overdue: false,
        }
    }

    #[test]
    fn equal_views_have_equal_tags() {
        assert_eq!(project().entity_tag(), project().entity_tag());
        assert_eq!(task().entity_tag(), task().entity_tag());
    }

    #[test]
    fn every_field_of_a_project_is_in_its_tag() {
        let tag = project().entity_tag();
        let changes: [fn(&mut ProjectView); 7] = [
            |p| p.id = ProjectId::from_uuid(uuid::Uuid::from_u128(2)),
            |p| p.name = "Kitchen".into(),
            |p| p.max_incomplete_tasks = None,
            |p| p.task_count += 1,
            |p| p.incomplete_task_count -= 1,
            |p| p.archived_at = Some(created()),
            |p| p.created_at += Duration::microseconds(1),
        ];
        for (i, change) in changes.iter().enumerate() {
            let mut changed = project();
            change(&mut changed);
            assert_ne!(changed.entity_tag(), tag, "change {i}");
        }
    }

    #[test]
    fn every_field_of_a_task_is_in_its_tag() {
        let tag = task().entity_tag();
        let changes: [fn(&mut TaskView); 11] = [
            |t| t.project_id = ProjectId::from_uuid(uuid::Uuid::from_u128(2)),
            |t| t.number = 2,
            |t| t.name = "Weed".into(),
            |t| t.description = Some(String::new()),
            |t| t.due_at = None,
            |t| t.priority = TaskPriority::Low,
            |t| t.labels.push("home".into()),
            |t| t.completed_at = Some(created()),
            |t| t.created_at += Duration::microseconds(1),
            |t| t.updated_at += Duration::microseconds(1),
            |t| t.overdue = true,
        ];
        for (i, change) in changes.iter().enumerate() {
            let mut changed = task();
            change(&mut changed);
            assert_ne!(changed.entity_tag(), tag, "change {i}");
        }
    }
}
