use activity_domain::EntryKind;
use chrono::Duration;
use projects_contracts::TaskNumber;
use shared_kernel_application::MessageBus;
use shared_kernel_domain::{DomainEvent, UserId};

use super::*;
use crate::register;
use crate::testing::Fakes;

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::UNIX_EPOCH + Duration::minutes(minutes)
}

fn created(project_id: ProjectId, owner: UserId) -> ProjectCreated {
    ProjectCreated {
        project_id,
        owner,
        name: Some("Garden".into()),
        max_incomplete_tasks: None,
        occurred_at: at(0),
    }
}

fn task_added(project_id: ProjectId, number: u32, name: &str) -> TaskAdded {
    TaskAdded {
        project_id,
        number: TaskNumber::new(number),
        name: Some(name.into()),
        occurred_at: at(1),
    }
}

/// The summaries of the committed entries, in the order they were written.
fn summaries(fakes: &Fakes) -> Vec<String> {
    fakes
        .store
        .tables()
        .entries
        .into_iter()
        .map(|e| e.summary)
        .collect()
}

#[tokio::test]
async fn every_projects_event_on_the_bus_writes_its_entry_with_the_names_it_learned() {
    let fakes = Fakes::new();
    let ports = fakes.ports();
    let bus = MessageBus::build(|registry, _| register(registry, &ports)).unwrap();
    let (project_id, owner) = (ProjectId::new(), UserId::new());
    let number = TaskNumber::new(1);
    let events: Vec<Box<dyn DomainEvent>> = vec![
        Box::new(created(project_id, owner)),
        Box::new(task_added(project_id, 1, "Buy milk")),
        Box::new(TaskRenamed {
            project_id,
            number,
            name: "Buy oat milk".into(),
            occurred_at: at(2),
        }),
        Box::new(TaskCompleted {
            project_id,
            number,
            occurred_at: at(3),
        }),
        Box::new(TaskReopened {
            project_id,
            number,
            occurred_at: at(4),
        }),
        Box::new(TaskCompleted {
            project_id,
            number,
            occurred_at: at(5),
        }),
        Box::new(ProjectUpdated {
            project_id,
            name: "Allotment".into(),
            max_incomplete_tasks: None,
            occurred_at: at(6),
        }),
        Box::new(ProjectArchived {
            project_id,
            occurred_at: at(7),
        }),
        Box::new(ProjectUnarchived {
            project_id,
            occurred_at: at(8),
        }),
        Box::new(ProjectArchived {
            project_id,
            occurred_at: at(9),
        }),
        Box::new(ProjectDeleted {
            project_id,
            occurred_at: at(10),
        }),
    ];

    for event in &events {
        bus.publish(EventId::new(), event.as_ref()).await.unwrap();
    }

    assert_eq!(
        summaries(&fakes),
        [
            "Project “Garden” was created",
            "Task 1 “Buy milk” was added",
            "Task 1 “Buy milk” was renamed to “Buy oat milk”",
            "Task 1 “Buy oat milk” was completed",
            "Task 1 “Buy oat milk” was reopened",
            "Task 1 “Buy oat milk” was completed",
            "Project “Garden” was renamed to “Allotment”",
            "Project “Allotment” was archived",
            "Project “Allotment” was unarchived",
            "Project “Allotment” was archived",
            "Project “Allotment” was deleted",
        ]
    );
    let tables = fakes.store.tables();
    assert!(
        tables
            .entries
            .iter()
            .all(|e| e.owner == owner && e.project_id == project_id)
    );
    assert_eq!(tables.entries[3].kind, EntryKind::TaskCompleted);
    assert_eq!(tables.entries[3].occurred_at, at(3));
    assert_eq!(
        tables.projects[&project_id].deleted_at(),
        Some(at(10)),
        "the record knows the project is deleted"
    );
}

#[tokio::test]
async fn an_entry_is_known_by_its_events_id() {
    let fakes = Fakes::new();
    let id = EventId::new();

    fakes
        .handler()
        .handle(&created(ProjectId::new(), UserId::new()), id)
        .await
        .unwrap();

    assert_eq!(fakes.store.tables().entries[0].id.as_uuid(), id.as_uuid());
}

#[tokio::test]
async fn a_redelivered_event_writes_no_second_entry() {
    let fakes = Fakes::new();
    let handler = fakes.handler();
    let project_id = ProjectId::new();
    let (creation, addition) = (EventId::new(), EventId::new());
    handler
        .handle(&created(project_id, UserId::new()), creation)
        .await
        .unwrap();

    handler
        .handle(&created(project_id, UserId::new()), creation)
        .await
        .unwrap();
    for _ in 0..2 {
        handler
            .handle(&task_added(project_id, 1, "Weed"), addition)
            .await
            .unwrap();
    }

    assert_eq!(
        summaries(&fakes),
        ["Project “Garden” was created", "Task 1 “Weed” was added"]
    );
    assert_eq!(fakes.store.commits(), 2);
}

#[tokio::test]
async fn an_event_of_a_project_never_heard_of_writes_nothing() {
    let fakes = Fakes::new();

    fakes
        .handler()
        .handle(&task_added(ProjectId::new(), 1, "Weed"), EventId::new())
        .await
        .unwrap();

    let tables = fakes.store.tables();
    assert!(tables.entries.is_empty() && tables.projects.is_empty());
    assert_eq!(fakes.store.commits(), 0);
}

#[tokio::test]
async fn each_task_keeps_its_own_name() {
    let fakes = Fakes::new();
    let handler = fakes.handler();
    let project_id = ProjectId::new();
    handler
        .handle(&created(project_id, UserId::new()), EventId::new())
        .await
        .unwrap();
    handler
        .handle(&task_added(project_id, 1, "Weed"), EventId::new())
        .await
        .unwrap();
    handler
        .handle(&task_added(project_id, 2, "Water"), EventId::new())
        .await
        .unwrap();

    handler
        .handle(
            &TaskCompleted {
                project_id,
                number: TaskNumber::new(1),
                occurred_at: at(2),
            },
            EventId::new(),
        )
        .await
        .unwrap();

    assert_eq!(
        summaries(&fakes).last().map(String::as_str),
        Some("Task 1 “Weed” was completed")
    );
    assert_eq!(
        fakes.store.tables().tasks[&(project_id, TaskNumber::new(2))],
        Some("Water".to_owned())
    );
}
