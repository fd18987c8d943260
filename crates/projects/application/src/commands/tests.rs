use chrono::Duration;
use projects_domain::{ProjectError, ProjectId, TaskNumber};
use shared_kernel_application::{CommandHandler, Precondition};
use shared_kernel_domain::{Clock, UserId};

use super::*;
use crate::ProjectView;
use crate::testing::Fakes;

async fn create(fakes: &Fakes, owner: UserId, max: Option<i64>) -> ProjectView {
    fakes
        .commands()
        .handle(CreateProject {
            owner,
            name: "Garden".into(),
            max_incomplete_tasks: max,
            keyed_answer: None,
        })
        .await
        .unwrap()
}

async fn add_task(
    fakes: &Fakes,
    owner: UserId,
    project: ProjectId,
    name: &str,
) -> Result<crate::TaskView, ProjectCommandError> {
    fakes
        .commands()
        .handle(AddTask {
            owner,
            project_id: project,
            name: name.into(),
            description: None,
            due_at: None,
            priority: None,
            labels: Vec::new(),
            keyed_answer: None,
        })
        .await
}

#[tokio::test]
async fn creating_a_project_stores_it_for_its_owner() {
    let fakes = Fakes::new();
    let owner = UserId::new();

    let view = create(&fakes, owner, Some(3)).await;

    assert_eq!(view.name, "Garden");
    assert_eq!(view.max_incomplete_tasks, Some(3));
    assert_eq!(view.task_count, 0);
    assert_eq!(view.created_at, fakes.clock.now());
    let stored = fakes.projects.get(view.id).unwrap();
    assert_eq!(stored.owner(), owner);
    assert_eq!(fakes.projects.published(), vec!["projects.ProjectCreated"]);
}

#[tokio::test]
async fn invalid_project_fields_are_all_reported_and_nothing_is_stored() {
    let fakes = Fakes::new();

    let result = fakes
        .commands()
        .handle(CreateProject {
            owner: UserId::new(),
            name: "   ".into(),
            max_incomplete_tasks: Some(0),
            keyed_answer: None,
        })
        .await;

    let Err(ProjectCommandError::InvalidInput(invalid)) = result else {
        panic!("expected invalid input, got {result:?}");
    };
    let fields: Vec<_> = invalid.violations.iter().map(|v| v.field).collect();
    assert_eq!(fields, vec!["name", "maxIncompleteTasks"]);
    assert_eq!(fakes.projects.commits(), 0);
}

#[tokio::test]
async fn another_users_project_is_not_found_and_stays_as_it_was() {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let project = create(&fakes, owner, None).await;
    let stranger = UserId::new();

    let renamed = fakes
        .commands()
        .handle(UpdateProject {
            owner: stranger,
            project_id: project.id,
            name: "Mine now".into(),
            max_incomplete_tasks: None,
            precondition: Precondition::Unconditional,
        })
        .await;
    let added = add_task(&fakes, stranger, project.id, "sneaky").await;

    assert!(matches!(renamed, Err(ProjectCommandError::ProjectNotFound)));
    assert!(matches!(added, Err(ProjectCommandError::ProjectNotFound)));
    let stored = fakes.projects.get(project.id).unwrap();
    assert_eq!(stored.name().as_str(), "Garden");
    assert_eq!(stored.task_count(), 0);
}

#[tokio::test]
async fn a_refused_change_commits_nothing() {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let project = create(&fakes, owner, Some(1)).await;
    add_task(&fakes, owner, project.id, "first").await.unwrap();
    let commits = fakes.projects.commits();

    let result = add_task(&fakes, owner, project.id, "second").await;

    assert!(matches!(
        result,
        Err(ProjectCommandError::Rule(
            ProjectError::TooManyIncompleteTasks { max: 1 }
        ))
    ));
    assert_eq!(fakes.projects.commits(), commits);
    assert_eq!(fakes.projects.get(project.id).unwrap().task_count(), 1);
}

#[tokio::test]
async fn tasks_are_added_completed_renamed_and_reopened_through_the_project() {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let project = create(&fakes, owner, None).await;
    let commands = fakes.commands();

    let task = add_task(&fakes, owner, project.id, " Water the plants ")
        .await
        .unwrap();
    assert_eq!((task.number, task.name.as_str()), (1, "Water the plants"));

    let number = TaskNumber::new(1);
    fakes.clock.advance(Duration::minutes(1));
    let done = commands
        .handle(CompleteTask {
            owner,
            project_id: project.id,
            number,
            precondition: Precondition::Unconditional,
        })
        .await
        .unwrap();
    assert_eq!(done.completed_at, Some(fakes.clock.now()));

    let renamed = commands
        .handle(RenameTask {
            owner,
            project_id: project.id,
            number,
            name: "Water".into(),
            precondition: Precondition::Unconditional,
        })
        .await
        .unwrap();
    assert_eq!(renamed.name, "Water");
    assert_eq!(renamed.completed_at, done.completed_at);

    let reopened = commands
        .handle(IncompleteTask {
            owner,
            project_id: project.id,
            number,
            precondition: Precondition::Unconditional,
        })
        .await
        .unwrap();
    assert_eq!(reopened.completed_at, None);
}

#[tokio::test]
async fn a_command_on_one_task_keeps_the_others_and_the_counters_right() {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let project = create(&fakes, owner, Some(3)).await;
    for name in ["a", "b", "c"] {
        add_task(&fakes, owner, project.id, name).await.unwrap();
    }

    fakes
        .commands()
        .handle(CompleteTask {
            owner,
            project_id: project.id,
            number: TaskNumber::new(2),
            precondition: Precondition::Unconditional,
        })
        .await
        .unwrap();

    let stored = fakes.projects.get(project.id).unwrap();
    let tasks: Vec<(u32, &str, bool)> = stored
        .loaded_tasks()
        .iter()
        .map(|t| (t.number().get(), t.name().as_str(), t.is_completed()))
        .collect();
    assert_eq!(
        tasks,
        vec![(1, "a", false), (2, "b", true), (3, "c", false)]
    );
    assert_eq!(
        (stored.task_count(), stored.incomplete_task_count()),
        (3, 2)
    );
    // The maximum of 3 now has room for one more, known from the counters alone.
    assert_eq!(
        add_task(&fakes, owner, project.id, "d")
            .await
            .unwrap()
            .number,
        4
    );
}

#[tokio::test]
async fn an_unknown_task_is_not_found() {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let project = create(&fakes, owner, None).await;

    let result = fakes
        .commands()
        .handle(CompleteTask {
            owner,
            project_id: project.id,
            number: TaskNumber::new(9),
            precondition: Precondition::Unconditional,
        })
        .await;

    assert!(matches!(result, Err(ProjectCommandError::TaskNotFound(n)) if n.get() == 9));
}

#[tokio::test]
async fn a_deleted_project_is_gone_from_every_command() {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let project = create(&fakes, owner, None).await;
    let commands = fakes.commands();
    commands
        .handle(ArchiveProject {
            owner,
            project_id: project.id,
            precondition: Precondition::Unconditional,
        })
        .await
        .unwrap();
    commands
        .handle(DeleteProject {
            owner,
            project_id: project.id,
            precondition: Precondition::Unconditional,
        })
        .await
        .unwrap();

    let unarchive = commands
        .handle(UnarchiveProject {
            owner,
            project_id: project.id,
            precondition: Precondition::Unconditional,
        })
        .await;
    let delete_again = commands
        .handle(DeleteProject {
            owner,
            project_id: project.id,
            precondition: Precondition::Unconditional,
        })
        .await;

    assert!(matches!(
        unarchive,
        Err(ProjectCommandError::ProjectNotFound)
    ));
    assert!(matches!(
        delete_again,
        Err(ProjectCommandError::ProjectNotFound)
    ));
}
