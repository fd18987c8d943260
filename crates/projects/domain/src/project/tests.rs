use chrono::Duration;
use shared_kernel_domain::DomainEvent;

use super::*;
use crate::{DueAt, Labels, TaskChange, TaskDescription, TaskPriority, TaskSnapshot};

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::UNIX_EPOCH + Duration::minutes(minutes)
}

fn name(value: &str) -> TaskName {
    TaskName::parse(value).unwrap()
}

fn limit(value: i64) -> Option<IncompleteTaskLimit> {
    Some(IncompleteTaskLimit::new(value).unwrap())
}

fn project(max: Option<IncompleteTaskLimit>) -> Project {
    Project::create(
        ProjectId::new(),
        UserId::new(),
        ProjectName::parse("Garden").unwrap(),
        max,
        at(0),
    )
}

fn event_types(project: &mut Project) -> Vec<&'static str> {
    project
        .take_events()
        .iter()
        .map(|e| e.event_type())
        .collect()
}

fn number(n: u32) -> TaskNumber {
    TaskNumber::new(n)
}

fn stored_task(n: u32, task_name: &str) -> Task {
    Task::restore(TaskSnapshot {
        number: number(n),
        name: name(task_name),
        details: TaskDetails::default(),
        completed_at: None,
        created_at: at(0),
        updated_at: at(0),
    })
}

fn details(due_minutes: Option<i64>, priority: TaskPriority, labels: &[&str]) -> TaskDetails {
    TaskDetails {
        description: Some(TaskDescription::parse("Semi-skimmed").unwrap()),
        due_at: due_minutes.map(|m| DueAt::new(at(m))),
        priority,
        labels: Labels::parse(labels).unwrap(),
    }
}

/// The `TaskUpdated` events `project` recorded since the last look, as their changes.
fn task_updates(project: &mut Project) -> Vec<Vec<TaskChange>> {
    project
        .take_events()
        .iter()
        .filter_map(|event| {
            (event.as_ref() as &dyn std::any::Any)
                .downcast_ref::<TaskUpdated>()
                .cloned()
        })
        .map(|updated| updated.changes)
        .collect()
}

#[test]
fn a_new_project_is_empty_active_and_announced_with_its_owner_name_and_maximum() {
    let mut project = project(limit(4));
    assert_eq!(project.task_count(), 0);
    assert_eq!(project.archived_at(), None);
    assert_eq!(project.version(), 0);

    let events = project.take_events();

    let [created] = events.as_slice() else {
        panic!("one event, not {events:?}");
    };
    assert_eq!(
        (created.as_ref() as &dyn std::any::Any).downcast_ref::<ProjectCreated>(),
        Some(&ProjectCreated {
            project_id: project.id(),
            owner: project.owner(),
            name: Some("Garden".into()),
            max_incomplete_tasks: Some(4),
            occurred_at: at(0),
        })
    );
}

/// The one event `project` recorded since its events were last taken, as an `E`.
fn only_event<E: DomainEvent + Clone>(project: &mut Project) -> E {
    let events = project.take_events();
    let [event] = events.as_slice() else {
        panic!("one event, not {events:?}");
    };
    (event.as_ref() as &dyn std::any::Any)
        .downcast_ref::<E>()
        .unwrap_or_else(|| panic!("not the expected event: {event:?}"))
        .clone()
}

#[test]
fn an_added_task_is_announced_with_its_number_and_name() {
    let mut project = project(None);
    project.take_events();

    project
        .add_task(name("Buy milk"), TaskDetails::default(), at(1))
        .unwrap();

    assert_eq!(
        only_event::<TaskAdded>(&mut project),
        TaskAdded {
            project_id: project.id(),
            number: number(1),
            name: Some("Buy milk".into()),
            occurred_at: at(1),
        }
    );
}

#[test]
fn updating_a_project_is_announced_with_its_new_name_and_maximum_unless_nothing_changed() {
    let mut project = project(limit(3));
    project.take_events();

    project
        .update(ProjectName::parse("Garden").unwrap(), limit(3), at(1))
        .unwrap();
    assert!(project.take_events().is_empty(), "nothing changed");

    project
        .update(ProjectName::parse("Allotment").unwrap(), limit(3), at(2))
        .unwrap();
    assert_eq!(
        only_event::<ProjectUpdated>(&mut project),
        ProjectUpdated {
            project_id: project.id(),
            name: "Allotment".into(),
            max_incomplete_tasks: Some(3),
            occurred_at: at(2),
        }
    );

    project
        .update(ProjectName::parse("Allotment").unwrap(), None, at(3))
        .unwrap();
    let lifted: ProjectUpdated = only_event(&mut project);
    assert_eq!(
        (lifted.name.as_str(), lifted.max_incomplete_tasks),
        ("Allotment", None)
    );
}

#[test]
fn renaming_a_task_is_announced_with_its_new_name_unless_it_had_it() {
    let mut project = project(None);
    project
        .add_task(name("Buy milk"), TaskDetails::default(), at(0))
        .unwrap();
    project.take_events();

    project
        .rename_task(number(1), name("Buy milk"), at(1))
        .unwrap();
    assert!(project.take_events().is_empty(), "nothing changed");

    project
        .rename_task(number(1), name("Buy oat milk"), at(2))
        .unwrap();
    assert_eq!(
        only_event::<TaskRenamed>(&mut project),
        TaskRenamed {
            project_id: project.id(),
            number: number(1),
            name: "Buy oat milk".into(),
            occurred_at: at(2),
        }
    );
}

#[test]
fn tasks_are_numbered_from_one_in_order() {
    let mut project = project(None);
    let numbers: Vec<u32> = (0..3)
        .map(|i| {
            project
                .add_task(name(&format!("t{i}")), TaskDetails::default(), at(i))
                .unwrap()
                .number()
                .get()
        })
        .collect();
    assert_eq!(numbers, vec![1, 2, 3]);
    assert_eq!(project.task(number(2)).unwrap().name().as_str(), "t1");
    assert_eq!(project.task(number(2)).unwrap().created_at(), at(1));
}

#[test]
fn a_number_is_never_reused() {
    // Restored with a gap at the end: task 3 existed once (the counter says so).
    let mut project = Project::restore(ProjectSnapshot {
        last_task_number: 3,
        task_count: 2,
        incomplete_task_count: 2,
        loaded_tasks: vec![stored_task(1, "a"), stored_task(2, "b")],
        ..project(None).snapshot()
    });
    assert_eq!(
        project
            .add_task(name("c"), TaskDetails::default(), at(1))
            .unwrap()
            .number(),
        number(4)
    );
}

#[test]
fn completing_twice_keeps_the_first_completion_time() {
    let mut project = project(None);
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project.take_events();

    project.complete_task(number(1), at(5)).unwrap();
    let again = project.complete_task(number(1), at(9)).unwrap();

    assert_eq!(again.completed_at(), Some(at(5)));
    assert_eq!(event_types(&mut project), vec!["projects.TaskCompleted"]);
}

#[test]
fn marking_an_incomplete_task_incomplete_changes_nothing() {
    let mut project = project(limit(1));
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project.take_events();

    let task = project.incomplete_task(number(1), at(1)).unwrap();

    assert_eq!(task.completed_at(), None);
    assert!(project.take_events().is_empty());
}

#[test]
fn reopening_a_completed_task_clears_its_completion() {
    let mut project = project(None);
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project.complete_task(number(1), at(1)).unwrap();
    project.take_events();

    let task = project.incomplete_task(number(1), at(2)).unwrap();

    assert_eq!(task.completed_at(), None);
    assert_eq!(event_types(&mut project), vec!["projects.TaskReopened"]);
}

#[test]
fn adding_past_the_maximum_is_refused() {
    let mut project = project(limit(2));
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project
        .add_task(name("b"), TaskDetails::default(), at(0))
        .unwrap();

    assert_eq!(
        project
            .add_task(name("c"), TaskDetails::default(), at(0))
            .unwrap_err(),
        ProjectError::TooManyIncompleteTasks { max: 2 }
    );
    assert_eq!(project.task_count(), 2);
    assert_eq!(project.last_task_number(), 2);

    // Completing one makes room again.
    project.complete_task(number(1), at(1)).unwrap();
    assert_eq!(
        project
            .add_task(name("c"), TaskDetails::default(), at(2))
            .unwrap()
            .number(),
        number(3)
    );
}

#[test]
fn reopening_past_the_maximum_is_refused() {
    let mut project = project(limit(1));
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project.complete_task(number(1), at(1)).unwrap();
    project
        .add_task(name("b"), TaskDetails::default(), at(2))
        .unwrap();

    assert_eq!(
        project.incomplete_task(number(1), at(3)).unwrap_err(),
        ProjectError::TooManyIncompleteTasks { max: 1 }
    );
    assert!(project.task(number(1)).unwrap().is_completed());
}

#[test]
fn lowering_the_maximum_below_the_incomplete_count_is_refused() {
    let mut project = project(None);
    for i in 0..3 {
        project
            .add_task(name(&format!("t{i}")), TaskDetails::default(), at(i))
            .unwrap();
    }
    let renamed = ProjectName::parse("Allotment").unwrap();

    assert_eq!(
        project
            .update(renamed.clone(), limit(2), at(5))
            .unwrap_err(),
        ProjectError::MaximumBelowIncompleteCount {
            requested: 2,
            incomplete: 3
        }
    );
    assert_eq!(project.name().as_str(), "Garden");
    assert_eq!(project.incomplete_task_limit(), None);

    project.update(renamed, limit(3), at(5)).unwrap();
    assert_eq!(project.name().as_str(), "Allotment");
    assert_eq!(project.incomplete_task_limit(), limit(3));
}

#[test]
fn the_maximum_can_be_lifted() {
    let mut project = project(limit(1));
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project
        .update(ProjectName::parse("Garden").unwrap(), None, at(1))
        .unwrap();
    assert!(
        project
            .add_task(name("b"), TaskDetails::default(), at(1))
            .is_ok()
    );
}

#[test]
fn archiving_needs_every_task_completed() {
    let mut project = project(None);
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project
        .add_task(name("b"), TaskDetails::default(), at(0))
        .unwrap();
    project.complete_task(number(1), at(1)).unwrap();

    assert_eq!(
        project.archive(at(2)).unwrap_err(),
        ProjectError::HasIncompleteTasks { incomplete: 1 }
    );

    project.complete_task(number(2), at(3)).unwrap();
    project.take_events();
    project.archive(at(4)).unwrap();
    assert_eq!(project.archived_at(), Some(at(4)));
    assert_eq!(event_types(&mut project), vec!["projects.ProjectArchived"]);
}

#[test]
fn an_empty_project_can_be_archived_but_not_twice() {
    let mut project = project(None);
    project.archive(at(1)).unwrap();
    assert_eq!(project.archive(at(2)).unwrap_err(), ProjectError::Archived);
    assert_eq!(project.archived_at(), Some(at(1)));
}

#[test]
fn an_archived_project_refuses_every_change() {
    let mut project = project(None);
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project.complete_task(number(1), at(1)).unwrap();
    project.archive(at(2)).unwrap();
    let before = project.snapshot();

    let renamed = ProjectName::parse("Other").unwrap();
    assert_eq!(
        project.update(renamed, None, at(3)).unwrap_err(),
        ProjectError::Archived
    );
    assert_eq!(
        project
            .add_task(name("b"), TaskDetails::default(), at(3))
            .unwrap_err(),
        ProjectError::Archived
    );
    assert_eq!(
        project
            .rename_task(number(1), name("x"), at(3))
            .unwrap_err(),
        ProjectError::Archived
    );
    assert_eq!(
        project.complete_task(number(1), at(3)).unwrap_err(),
        ProjectError::Archived
    );
    assert_eq!(
        project.incomplete_task(number(1), at(3)).unwrap_err(),
        ProjectError::Archived
    );
    assert_eq!(project.snapshot().loaded_tasks, before.loaded_tasks);
    assert_eq!(project.name(), &before.name);
}

#[test]
fn unarchiving_needs_an_archived_project() {
    let mut project = project(None);
    assert_eq!(
        project.unarchive(at(1)).unwrap_err(),
        ProjectError::NotArchived
    );

    project.archive(at(1)).unwrap();
    project.unarchive(at(2)).unwrap();
    assert_eq!(project.archived_at(), None);
    assert!(
        project
            .add_task(name("a"), TaskDetails::default(), at(3))
            .is_ok()
    );
}

#[test]
fn deleting_needs_an_archived_project_and_ends_everything() {
    let mut project = project(None);
    assert_eq!(
        project.delete(at(1)).unwrap_err(),
        ProjectError::NotArchived
    );

    project.archive(at(1)).unwrap();
    project.delete(at(2)).unwrap();

    assert_eq!(project.deleted_at(), Some(at(2)));
    assert_eq!(project.unarchive(at(3)).unwrap_err(), ProjectError::Deleted);
    assert_eq!(project.delete(at(3)).unwrap_err(), ProjectError::Deleted);
    assert_eq!(project.archive(at(3)).unwrap_err(), ProjectError::Deleted);
    assert_eq!(
        project
            .add_task(name("a"), TaskDetails::default(), at(3))
            .unwrap_err(),
        ProjectError::Deleted
    );
}

#[test]
fn an_unknown_task_is_not_found_before_anything_else() {
    let mut project = project(None);
    project.archive(at(1)).unwrap();
    assert_eq!(
        project.complete_task(number(7), at(2)).unwrap_err(),
        ProjectError::TaskNotFound(number(7))
    );
    assert_eq!(
        project
            .rename_task(number(7), name("x"), at(3))
            .unwrap_err(),
        ProjectError::TaskNotFound(number(7))
    );
}

#[test]
fn renaming_a_task_keeps_everything_else() {
    let mut project = project(None);
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project.complete_task(number(1), at(1)).unwrap();

    let task = project.rename_task(number(1), name("b"), at(3)).unwrap();

    assert_eq!(task.name().as_str(), "b");
    assert_eq!(task.completed_at(), Some(at(1)));
}

#[test]
fn the_incomplete_task_limit_is_one_to_ten_thousand() {
    assert!(IncompleteTaskLimit::new(0).is_err());
    assert!(IncompleteTaskLimit::new(-1).is_err());
    assert!(IncompleteTaskLimit::new(10_001).is_err());
    assert_eq!(IncompleteTaskLimit::new(1).unwrap().get(), 1);
    assert_eq!(IncompleteTaskLimit::new(10_000).unwrap().get(), 10_000);
}

/// A project of `tasks` tasks, `incomplete` of them incomplete, as a repository restores it
/// for a command that names no task: counters only.
fn restored_without_tasks(
    max: Option<IncompleteTaskLimit>,
    tasks: u32,
    incomplete: u32,
) -> Project {
    Project::restore(ProjectSnapshot {
        last_task_number: tasks,
        task_count: tasks,
        incomplete_task_count: incomplete,
        loaded_tasks: Vec::new(),
        ..project(max).snapshot()
    })
}

#[test]
fn the_counters_follow_every_task_change() {
    let mut project = project(None);
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project
        .add_task(name("b"), TaskDetails::default(), at(0))
        .unwrap();
    assert_eq!(
        (project.task_count(), project.incomplete_task_count()),
        (2, 2)
    );

    project.complete_task(number(1), at(1)).unwrap();
    project.complete_task(number(1), at(2)).unwrap();
    assert_eq!(
        (project.task_count(), project.incomplete_task_count()),
        (2, 1)
    );

    project.incomplete_task(number(1), at(3)).unwrap();
    project.incomplete_task(number(1), at(4)).unwrap();
    assert_eq!(
        (project.task_count(), project.incomplete_task_count()),
        (2, 2)
    );

    project.rename_task(number(2), name("c"), at(3)).unwrap();
    assert_eq!(
        (project.task_count(), project.incomplete_task_count()),
        (2, 2)
    );
}

#[test]
fn the_rules_hold_on_the_counters_without_the_tasks_loaded() {
    let mut full = restored_without_tasks(limit(3), 10, 3);
    assert_eq!(
        full.add_task(name("x"), TaskDetails::default(), at(1))
            .unwrap_err(),
        ProjectError::TooManyIncompleteTasks { max: 3 }
    );
    assert_eq!(
        full.archive(at(1)).unwrap_err(),
        ProjectError::HasIncompleteTasks { incomplete: 3 }
    );
    assert_eq!(
        full.update(ProjectName::parse("Garden").unwrap(), limit(2), at(1))
            .unwrap_err(),
        ProjectError::MaximumBelowIncompleteCount {
            requested: 2,
            incomplete: 3
        }
    );

    let mut roomy = restored_without_tasks(limit(4), 10, 3);
    let added = roomy
        .add_task(name("x"), TaskDetails::default(), at(1))
        .unwrap();
    assert_eq!(added.number(), number(11));
    assert_eq!(roomy.loaded_tasks().len(), 1);
    assert_eq!((roomy.task_count(), roomy.incomplete_task_count()), (11, 4));

    let mut done = restored_without_tasks(None, 10, 0);
    assert!(done.archive(at(1)).is_ok());
}

#[test]
fn a_task_that_was_not_loaded_is_not_found() {
    let mut project = restored_without_tasks(None, 5, 5);
    assert_eq!(
        project.complete_task(number(2), at(1)).unwrap_err(),
        ProjectError::TaskNotFound(number(2))
    );
    assert!(project.task(number(2)).is_none());
    assert_eq!(project.incomplete_task_count(), 5);
}

#[test]
fn a_snapshot_restores_the_same_project() {
    let mut project = project(limit(5));
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project
        .add_task(name("b"), TaskDetails::default(), at(1))
        .unwrap();
    project.complete_task(number(2), at(2)).unwrap();

    let restored = Project::restore(project.snapshot());

    assert_eq!(restored.loaded_tasks(), project.loaded_tasks());
    assert_eq!(restored.task_count(), 2);
    assert_eq!(restored.incomplete_task_count(), 1);
    assert_eq!(restored.last_task_number(), 2);
    assert_eq!(restored.incomplete_task_limit(), limit(5));
    assert_eq!(restored.name(), project.name());
}

#[test]
fn a_task_is_added_with_its_details_and_starts_updated_at_its_creation() {
    let mut project = project(None);
    let task = project
        .add_task(
            name("Buy milk"),
            details(Some(60), TaskPriority::High, &["Home"]),
            at(1),
        )
        .unwrap()
        .clone();
    assert_eq!(task.description().unwrap().as_str(), "Semi-skimmed");
    assert_eq!(task.due_at(), Some(DueAt::new(at(60))));
    assert_eq!(task.priority(), TaskPriority::High);
    assert_eq!(task.labels().to_strings(), ["home"]);
    assert_eq!(task.updated_at(), at(1));
}

#[test]
fn a_patch_changes_only_the_fields_it_names_and_records_each_change() {
    let mut project = project(None);
    project
        .add_task(
            name("Buy milk"),
            details(Some(60), TaskPriority::Low, &["home"]),
            at(1),
        )
        .unwrap();
    project.take_events();

    let task = project
        .update_task(
            number(1),
            TaskPatch {
                priority: Some(TaskPriority::Urgent),
                due_at: Some(None),
                ..TaskPatch::default()
            },
            at(5),
        )
        .unwrap()
        .clone();

    assert_eq!(task.priority(), TaskPriority::Urgent);
    assert_eq!(task.due_at(), None);
    assert_eq!(task.description().unwrap().as_str(), "Semi-skimmed");
    assert_eq!(task.labels().to_strings(), ["home"]);
    assert_eq!(task.name().as_str(), "Buy milk");
    assert_eq!(task.updated_at(), at(5));
    assert_eq!(
        task_updates(&mut project),
        [vec![
            TaskChange::DueAt(None),
            TaskChange::Priority(TaskPriority::Urgent)
        ]]
    );
}

#[test]
fn a_patch_with_a_new_name_records_a_rename_and_an_update_apart() {
    let mut project = project(None);
    project
        .add_task(name("Buy milk"), TaskDetails::default(), at(1))
        .unwrap();
    project.take_events();
    project
        .update_task(
            number(1),
            TaskPatch {
                name: Some(name("Buy oat milk")),
                labels: Some(Labels::parse(&["shop", "Home"]).unwrap()),
                ..TaskPatch::default()
            },
            at(2),
        )
        .unwrap();
    let events = project.take_events();
    let types: Vec<&str> = events.iter().map(|e| e.event_type()).collect();
    assert_eq!(types, ["projects.TaskRenamed", "projects.TaskUpdated"]);
    let updated = (events[1].as_ref() as &dyn std::any::Any)
        .downcast_ref::<TaskUpdated>()
        .unwrap();
    assert_eq!(
        updated.changes,
        [TaskChange::Labels(vec!["home".into(), "shop".into()])]
    );
}

#[test]
fn a_patch_of_values_the_task_has_changes_nothing_and_records_nothing() {
    let mut project = project(None);
    project
        .add_task(
            name("Buy milk"),
            details(Some(60), TaskPriority::Low, &["home"]),
            at(1),
        )
        .unwrap();
    project.take_events();
    let same = TaskPatch {
        name: Some(name("Buy milk")),
        description: Some(Some(TaskDescription::parse("Semi-skimmed").unwrap())),
        due_at: Some(Some(DueAt::new(at(60)))),
        priority: Some(TaskPriority::Low),
        labels: Some(Labels::parse(&["HOME"]).unwrap()),
    };
    for patch in [same, TaskPatch::default()] {
        let task = project.update_task(number(1), patch, at(9)).unwrap();
        assert_eq!(task.updated_at(), at(1));
        assert!(project.take_events().is_empty());
    }
}

#[test]
fn an_archived_project_refuses_even_an_empty_patch() {
    let mut project = project(None);
    project
        .add_task(name("a"), TaskDetails::default(), at(0))
        .unwrap();
    project.complete_task(number(1), at(1)).unwrap();
    project.archive(at(2)).unwrap();
    assert_eq!(
        project
            .update_task(number(1), TaskPatch::default(), at(3))
            .unwrap_err(),
        ProjectError::Archived
    );
    assert_eq!(
        project
            .update_task(number(2), TaskPatch::default(), at(3))
            .unwrap_err(),
        ProjectError::TaskNotFound(number(2))
    );
}

#[test]
fn completion_and_reopening_move_updated_at_and_overdue_follows_them() {
    let mut project = project(None);
    project
        .add_task(name("a"), details(Some(10), TaskPriority::None, &[]), at(0))
        .unwrap();
    assert!(!project.task(number(1)).unwrap().is_overdue(at(10)));
    assert!(project.task(number(1)).unwrap().is_overdue(at(11)));
    let completed = project.complete_task(number(1), at(20)).unwrap();
    assert_eq!(completed.updated_at(), at(20));
    assert!(!completed.is_overdue(at(30)));
    let reopened = project.incomplete_task(number(1), at(40)).unwrap();
    assert_eq!(reopened.updated_at(), at(40));
    assert!(reopened.is_overdue(at(40)));
}
