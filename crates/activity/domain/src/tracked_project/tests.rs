use chrono::Duration;
use uuid::Uuid;

use super::*;

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::UNIX_EPOCH + Duration::minutes(minutes)
}

fn entry_id() -> EntryId {
    EntryId::from_uuid(Uuid::now_v7())
}

fn number(n: u32) -> TaskNumber {
    TaskNumber::new(n)
}

fn garden() -> TrackedProject {
    TrackedProject::created(
        ProjectId::new(),
        UserId::new(),
        Some("Garden".into()),
        None,
        entry_id(),
        at(0),
    )
    .0
}

/// `project` loaded with task `number` named `name`, as the repository would load it.
fn with_task(project: &TrackedProject, number: u32, name: Option<&str>) -> TrackedProject {
    TrackedProject::restore(
        project.id(),
        project.owner(),
        project.name().map(str::to_owned),
        project.max_incomplete_tasks(),
        project.deleted_at(),
        Some(TrackedTask {
            number: TaskNumber::new(number),
            name: name.map(str::to_owned),
        }),
    )
}

#[test]
fn a_created_project_is_known_by_its_owner_and_name_and_its_creation_is_the_first_entry() {
    let (id, owner, first) = (ProjectId::new(), UserId::new(), entry_id());

    let (project, entry) =
        TrackedProject::created(id, owner, Some("Garden".into()), Some(5), first, at(1));

    assert_eq!((project.owner(), project.name()), (owner, Some("Garden")));
    assert_eq!(project.max_incomplete_tasks(), Some(5));
    assert_eq!(
        entry,
        Entry {
            id: first,
            project_id: id,
            owner,
            kind: EntryKind::ProjectCreated,
            task_number: None,
            summary: "Project “Garden” was created".into(),
            occurred_at: at(1),
        }
    );
}

#[test]
fn a_task_is_summarised_with_the_name_it_was_added_with_and_renamed_to() {
    let mut project = garden();

    let added = project.record(
        Change::TaskAdded {
            number: number(3),
            name: Some("Buy milk".into()),
        },
        entry_id(),
        at(1),
    );
    let completed = project.record(
        Change::TaskCompleted { number: number(3) },
        entry_id(),
        at(2),
    );
    let renamed = project.record(
        Change::TaskRenamed {
            number: number(3),
            name: "Buy oat milk".into(),
        },
        entry_id(),
        at(3),
    );
    let reopened = project.record(
        Change::TaskReopened { number: number(3) },
        entry_id(),
        at(4),
    );

    let told: Vec<(EntryKind, Option<u32>, &str)> = [&added, &completed, &renamed, &reopened]
        .iter()
        .map(|e| (e.kind, e.task_number.map(|n| n.get()), e.summary.as_str()))
        .collect();
    assert_eq!(
        told,
        [
            (EntryKind::TaskAdded, Some(3), "Task 3 “Buy milk” was added"),
            (
                EntryKind::TaskCompleted,
                Some(3),
                "Task 3 “Buy milk” was completed"
            ),
            (
                EntryKind::TaskRenamed,
                Some(3),
                "Task 3 “Buy milk” was renamed to “Buy oat milk”"
            ),
            (
                EntryKind::TaskReopened,
                Some(3),
                "Task 3 “Buy oat milk” was reopened"
            ),
        ]
    );
    assert_eq!(
        project.task(),
        Some(&TrackedTask {
            number: number(3),
            name: Some("Buy oat milk".into())
        })
    );
}

#[test]
fn a_change_to_a_loaded_task_uses_the_name_the_repository_loaded() {
    let project = garden();
    let mut loaded = with_task(&project, 2, Some("Weed"));

    let entry = loaded.record(
        Change::TaskCompleted { number: number(2) },
        entry_id(),
        at(1),
    );

    assert_eq!(entry.summary, "Task 2 “Weed” was completed");
}

#[test]
fn a_task_whose_name_was_never_heard_is_summarised_by_its_number() {
    let project = garden();
    let mut unnamed = with_task(&project, 4, None);
    let mut other_task_loaded = with_task(&project, 9, Some("Weed"));

    let completed = unnamed.record(
        Change::TaskCompleted { number: number(4) },
        entry_id(),
        at(1),
    );
    let reopened = other_task_loaded.record(
        Change::TaskReopened { number: number(4) },
        entry_id(),
        at(1),
    );

    assert_eq!(completed.summary, "Task 4 was completed");
    assert_eq!(reopened.summary, "Task 4 was reopened");
    assert_eq!(reopened.task_number, Some(number(4)));
}

#[test]
fn project_changes_are_summarised_with_the_names_before_them_and_learned_from() {
    let mut project = garden();

    let renamed = project.record(
        Change::Updated {
            name: "Allotment".into(),
            max_incomplete_tasks: Some(3),
        },
        entry_id(),
        at(1),
    );
    let archived = project.record(Change::Archived, entry_id(), at(2));
    let unarchived = project.record(Change::Unarchived, entry_id(), at(3));
    let deleted = project.record(Change::Deleted, entry_id(), at(4));

    assert_eq!(
        renamed.summary,
        "Project “Garden” was renamed to “Allotment” and now allows at most 3 incomplete tasks"
    );
    assert_eq!(
        (archived.kind, archived.summary.as_str()),
        (
            EntryKind::ProjectArchived,
            "Project “Allotment” was archived"
        )
    );
    assert_eq!(unarchived.summary, "Project “Allotment” was unarchived");
    assert_eq!(
        (deleted.kind, deleted.summary.as_str(), deleted.task_number),
        (
            EntryKind::ProjectDeleted,
            "Project “Allotment” was deleted",
            None
        )
    );
    assert_eq!(project.name(), Some("Allotment"));
    assert_eq!(project.max_incomplete_tasks(), Some(3));
    assert_eq!(project.deleted_at(), Some(at(4)));
}

#[test]
fn a_project_created_without_a_name_is_a_project() {
    let (mut project, created) = TrackedProject::created(
        ProjectId::new(),
        UserId::new(),
        None,
        None,
        entry_id(),
        at(0),
    );

    let archived = project.record(Change::Archived, entry_id(), at(1));

    assert_eq!(created.summary, "A project was created");
    assert_eq!(archived.summary, "A project was archived");
}

#[test]
fn every_entry_is_the_projects_and_its_owners() {
    let mut project = garden();

    let entry = project.record(Change::Archived, entry_id(), at(1));

    assert_eq!(
        (entry.project_id, entry.owner),
        (project.id(), project.owner())
    );
}

#[test]
fn a_change_to_a_task_loads_its_record_unless_it_adds_it() {
    let added = Change::TaskAdded {
        number: number(4),
        name: None,
    };
    let completed = Change::TaskCompleted { number: number(4) };

    assert_eq!(
        (added.task(), added.task_to_load()),
        (Some(number(4)), None)
    );
    assert_eq!(completed.task_to_load(), Some(number(4)));
    assert_eq!(Change::Archived.task_to_load(), None);
}
