//! The precondition a write carries (`If-Match`), checked against the tag of what it writes
//! before anything changes.

use projects_domain::{ProjectId, TaskNumber};
use shared_kernel_application::{CommandHandler, EntityTag, Precondition};
use shared_kernel_domain::UserId;

use super::*;
use crate::testing::Fakes;
use crate::{ProjectView, TaskView};

struct Given {
    fakes: Fakes,
    owner: UserId,
    project: ProjectId,
}

/// A project "Garden" with tasks 1 "Water" and 2 "Weed".
async fn given_project_with_two_tasks() -> Given {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let commands = fakes.commands();
    let project = commands
        .handle(CreateProject {
            owner,
            name: "Garden".into(),
            max_incomplete_tasks: None,
            keyed_answer: None,
        })
        .await
        .unwrap()
        .id;
    for name in ["Water", "Weed"] {
        commands
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
            .unwrap();
    }
    Given {
        fakes,
        owner,
        project,
    }
}

impl Given {
    fn project_tag(&self) -> EntityTag {
        ProjectView::from(&self.fakes.projects.get(self.project).unwrap()).entity_tag()
    }

    fn task_tag(&self, number: u32) -> EntityTag {
        let project = self.fakes.projects.get(self.project).unwrap();
        TaskView::of(
            self.project,
            project.task(TaskNumber::new(number)).unwrap(),
            chrono::Utc::now(),
        )
        .entity_tag()
    }

    fn stored_name(&self) -> String {
        self.fakes
            .projects
            .get(self.project)
            .unwrap()
            .name()
            .to_string()
    }

    fn task_name(&self, number: u32) -> String {
        let project = self.fakes.projects.get(self.project).unwrap();
        project
            .task(TaskNumber::new(number))
            .unwrap()
            .name()
            .to_string()
    }

    async fn rename_project(
        &self,
        name: &str,
        precondition: Precondition,
    ) -> Result<ProjectView, ProjectCommandError> {
        self.fakes
            .commands()
            .handle(UpdateProject {
                owner: self.owner,
                project_id: self.project,
                name: name.into(),
                max_incomplete_tasks: None,
                precondition,
            })
            .await
    }

    async fn rename_task(
        &self,
        number: u32,
        name: &str,
        precondition: Precondition,
    ) -> Result<TaskView, ProjectCommandError> {
        self.fakes
            .commands()
            .handle(RenameTask {
                owner: self.owner,
                project_id: self.project,
                number: TaskNumber::new(number),
                name: name.into(),
                precondition,
            })
            .await
    }
}

fn one_of(tag: EntityTag) -> Precondition {
    Precondition::OneOf(vec![tag])
}

/// A well-formed tag that no project or task has.
fn stale_tag() -> EntityTag {
    EntityTag::new("0123456789abcdef0123456789abcdef")
}

fn stale() -> Precondition {
    one_of(stale_tag())
}

#[tokio::test]
async fn a_write_with_the_current_tag_goes_ahead_and_its_answer_has_the_new_one() {
    let given = given_project_with_two_tasks().await;
    let before = given.project_tag();

    let renamed = given.rename_project("Yard", one_of(before.clone())).await;

    let renamed = renamed.unwrap();
    assert_eq!(given.stored_name(), "Yard");
    assert_ne!(renamed.entity_tag(), before);
    assert_eq!(renamed.entity_tag(), given.project_tag());
}

#[tokio::test]
async fn a_write_with_a_stale_tag_is_refused_and_changes_nothing() {
    let given = given_project_with_two_tasks().await;
    let commits = given.fakes.projects.commits();
    let published = given.fakes.projects.published();

    let result = given.rename_project("Yard", stale()).await;

    assert!(
        matches!(result, Err(ProjectCommandError::PreconditionFailed(_))),
        "{result:?}"
    );
    assert_eq!(given.stored_name(), "Garden");
    assert_eq!(given.fakes.projects.commits(), commits);
    assert_eq!(given.fakes.projects.published(), published);
}

#[tokio::test]
async fn the_second_of_two_writers_with_one_tag_is_refused() {
    let given = given_project_with_two_tasks().await;
    let read = given.project_tag();

    let first = given.rename_project("Yard", one_of(read.clone())).await;
    let second = given.rename_project("Orchard", one_of(read)).await;

    assert!(first.is_ok(), "{first:?}");
    assert!(matches!(
        second,
        Err(ProjectCommandError::PreconditionFailed(_))
    ));
    assert_eq!(given.stored_name(), "Yard");
}

#[tokio::test]
async fn any_of_several_tags_and_any_state_and_no_condition_go_ahead() {
    let given = given_project_with_two_tasks().await;

    let listed = Precondition::OneOf(vec![stale_tag(), given.project_tag()]);
    assert!(given.rename_project("Yard", listed).await.is_ok());
    assert!(
        given
            .rename_project("Orchard", Precondition::Exists)
            .await
            .is_ok()
    );
    assert!(
        given
            .rename_project("Meadow", Precondition::Unconditional)
            .await
            .is_ok()
    );
    assert_eq!(given.stored_name(), "Meadow");
}

#[tokio::test]
async fn a_task_write_is_checked_against_the_tasks_own_tag() {
    let given = given_project_with_two_tasks().await;

    let with_projects_tag = given
        .rename_task(1, "Water well", one_of(given.project_tag()))
        .await;
    let with_other_tasks_tag = given
        .rename_task(1, "Water well", one_of(given.task_tag(2)))
        .await;
    let with_its_own = given
        .rename_task(1, "Water well", one_of(given.task_tag(1)))
        .await;

    assert!(matches!(
        with_projects_tag,
        Err(ProjectCommandError::PreconditionFailed(_))
    ));
    assert!(matches!(
        with_other_tasks_tag,
        Err(ProjectCommandError::PreconditionFailed(_))
    ));
    assert_eq!(with_its_own.unwrap().name, "Water well");
}

#[tokio::test]
async fn a_tasks_tag_survives_a_change_to_another_task_and_the_projects_a_rename() {
    let given = given_project_with_two_tasks().await;
    let task_1 = given.task_tag(1);
    let project = given.project_tag();

    given
        .rename_task(2, "Weed the beds", Precondition::Unconditional)
        .await
        .unwrap();
    given
        .fakes
        .commands()
        .handle(CompleteTask {
            owner: given.owner,
            project_id: given.project,
            number: TaskNumber::new(2),
            precondition: one_of(given.task_tag(2)),
        })
        .await
        .unwrap();

    assert_eq!(given.task_tag(1), task_1);
    // The rename left the project's representation alone; the completion moved a counter.
    assert_ne!(given.project_tag(), project);
    assert!(
        given
            .rename_task(1, "Water well", one_of(task_1))
            .await
            .is_ok()
    );
    assert_eq!(given.task_name(1), "Water well");
}

#[tokio::test]
async fn renaming_a_task_leaves_the_projects_tag_and_adding_one_moves_it() {
    let given = given_project_with_two_tasks().await;
    let before = given.project_tag();

    given
        .rename_task(1, "Water well", Precondition::Unconditional)
        .await
        .unwrap();
    assert_eq!(given.project_tag(), before);

    given
        .fakes
        .commands()
        .handle(AddTask {
            owner: given.owner,
            project_id: given.project,
            name: "Harvest".into(),
            description: None,
            due_at: None,
            priority: None,
            labels: Vec::new(),
            keyed_answer: None,
        })
        .await
        .unwrap();
    assert_ne!(given.project_tag(), before);
}

#[tokio::test]
async fn an_unknown_task_or_project_is_not_found_whatever_the_tag() {
    let given = given_project_with_two_tasks().await;

    let task = given.rename_task(9, "Nothing", stale()).await;
    let project = given
        .fakes
        .commands()
        .handle(ArchiveProject {
            owner: UserId::new(),
            project_id: given.project,
            precondition: stale(),
        })
        .await;

    assert!(matches!(task, Err(ProjectCommandError::TaskNotFound(_))));
    assert!(matches!(project, Err(ProjectCommandError::ProjectNotFound)));
}

#[tokio::test]
async fn a_delete_with_a_stale_tag_leaves_the_project() {
    let given = given_project_with_two_tasks().await;
    let commands = given.fakes.commands();
    for number in [1, 2] {
        commands
            .handle(CompleteTask {
                owner: given.owner,
                project_id: given.project,
                number: TaskNumber::new(number),
                precondition: Precondition::Unconditional,
            })
            .await
            .unwrap();
    }
    let archived = commands
        .handle(ArchiveProject {
            owner: given.owner,
            project_id: given.project,
            precondition: one_of(given.project_tag()),
        })
        .await
        .unwrap();

    let stale_delete = commands
        .handle(DeleteProject {
            owner: given.owner,
            project_id: given.project,
            precondition: stale(),
        })
        .await;
    assert!(matches!(
        stale_delete,
        Err(ProjectCommandError::PreconditionFailed(_))
    ));
    assert!(
        given
            .fakes
            .projects
            .get(given.project)
            .unwrap()
            .deleted_at()
            .is_none()
    );

    let current_delete = commands
        .handle(DeleteProject {
            owner: given.owner,
            project_id: given.project,
            precondition: one_of(archived.entity_tag()),
        })
        .await;
    assert!(current_delete.is_ok(), "{current_delete:?}");
    assert!(
        given
            .fakes
            .projects
            .get(given.project)
            .unwrap()
            .deleted_at()
            .is_some()
    );
}

#[tokio::test]
async fn the_precondition_is_checked_before_the_rules() {
    let given = given_project_with_two_tasks().await;

    // Archiving breaks a rule (incomplete tasks), but the stale tag is answered first.
    let result = given
        .fakes
        .commands()
        .handle(ArchiveProject {
            owner: given.owner,
            project_id: given.project,
            precondition: stale(),
        })
        .await;

    assert!(matches!(
        result,
        Err(ProjectCommandError::PreconditionFailed(_))
    ));
}
