//! Adding a task with its details and patching them, against the in-memory fakes.

use chrono::{DateTime, Duration, Utc};
use projects_domain::{ProjectId, TaskNumber, TaskPriority};
use shared_kernel_application::{CommandHandler, Precondition};
use shared_kernel_domain::{Clock, UserId};

use super::*;
use crate::TaskView;
use crate::testing::Fakes;

struct Given {
    fakes: Fakes,
    owner: UserId,
    project: ProjectId,
}

async fn given_project() -> Given {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let project = fakes
        .commands()
        .handle(CreateProject {
            owner,
            name: "Kitchen".into(),
            max_incomplete_tasks: None,
            keyed_answer: None,
        })
        .await
        .unwrap()
        .id;
    Given {
        fakes,
        owner,
        project,
    }
}

fn in_days(fakes: &Fakes, days: i64) -> DateTime<Utc> {
    fakes.clock.now() + Duration::days(days)
}

impl Given {
    async fn add(
        &self,
        command: impl FnOnce(&mut AddTask),
    ) -> Result<TaskView, ProjectCommandError> {
        let mut add = AddTask {
            owner: self.owner,
            project_id: self.project,
            name: "Buy milk".into(),
            description: Some("Oat, not soy".into()),
            due_at: Some(in_days(&self.fakes, 2)),
            priority: Some(TaskPriority::High),
            labels: vec!["Shop".into(), "home".into()],
            keyed_answer: None,
        };
        command(&mut add);
        self.fakes.commands().handle(add).await
    }

    fn patch(&self) -> UpdateTask {
        UpdateTask {
            owner: self.owner,
            project_id: self.project,
            number: TaskNumber::new(1),
            name: None,
            description: None,
            due_at: None,
            priority: None,
            labels: None,
            precondition: Precondition::Unconditional,
        }
    }

    async fn update(&self, patch: UpdateTask) -> Result<TaskView, ProjectCommandError> {
        self.fakes.commands().handle(patch).await
    }
}

fn fields(result: Result<TaskView, ProjectCommandError>) -> Vec<&'static str> {
    match result {
        Err(ProjectCommandError::InvalidInput(invalid)) => {
            invalid.violations.iter().map(|v| v.field).collect()
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn a_task_is_added_with_every_detail() {
    let given = given_project().await;

    let task = given.add(|_| {}).await.unwrap();

    assert_eq!(task.description.as_deref(), Some("Oat, not soy"));
    assert_eq!(task.due_at, Some(in_days(&given.fakes, 2)));
    assert_eq!(task.priority, TaskPriority::High);
    assert_eq!(task.labels, ["home", "shop"]);
    assert_eq!(task.updated_at, task.created_at);
    assert!(!task.overdue);
    assert_eq!(task.project_id, given.project);
}

#[tokio::test]
async fn a_task_due_in_the_past_is_added_overdue() {
    let given = given_project().await;
    let task = given
        .add(|add| add.due_at = Some(in_days(&given.fakes, -1)))
        .await
        .unwrap();
    assert!(task.overdue);
}

#[tokio::test]
async fn every_invalid_detail_is_reported_and_nothing_is_added() {
    let given = given_project().await;
    let commits = given.fakes.projects.commits();

    let result = given
        .add(|add| {
            add.name = " ".into();
            add.description = Some("bell\u{7}".into());
            add.labels = vec!["two words".into()];
        })
        .await;

    assert_eq!(fields(result), ["name", "description", "labels"]);
    assert_eq!(given.fakes.projects.commits(), commits);
}

#[tokio::test]
async fn a_patch_sets_what_it_names_clears_its_nulls_and_keeps_the_rest() {
    let given = given_project().await;
    let added = given.add(|_| {}).await.unwrap();

    let patched = given
        .update(UpdateTask {
            priority: Some(TaskPriority::Urgent),
            due_at: Some(None),
            ..given.patch()
        })
        .await
        .unwrap();

    assert_eq!(patched.priority, TaskPriority::Urgent);
    assert_eq!(patched.due_at, None);
    assert_eq!(patched.description, added.description);
    assert_eq!(patched.labels, added.labels);
    assert_eq!(patched.name, added.name);
    let published = given.fakes.projects.published();
    assert_eq!(published.last(), Some(&"projects.TaskUpdated"));
}

#[tokio::test]
async fn a_patch_with_a_name_renames_and_updates() {
    let given = given_project().await;
    given.add(|_| {}).await.unwrap();

    let patched = given
        .update(UpdateTask {
            name: Some("Buy oat milk".into()),
            labels: Some(Vec::new()),
            ..given.patch()
        })
        .await
        .unwrap();

    assert_eq!(patched.name, "Buy oat milk");
    assert!(patched.labels.is_empty());
    let published = given.fakes.projects.published();
    assert_eq!(
        published[published.len() - 2..],
        ["projects.TaskRenamed", "projects.TaskUpdated"]
    );
}

#[tokio::test]
async fn an_empty_patch_writes_nothing_and_answers_the_task() {
    let given = given_project().await;
    let added = given.add(|_| {}).await.unwrap();
    let published = given.fakes.projects.published().len();
    let updates = given.fakes.projects.updates();

    let patched = given.update(given.patch()).await.unwrap();
    let same_values = given
        .update(UpdateTask {
            name: Some(added.name.clone()),
            priority: Some(added.priority),
            labels: Some(added.labels.clone()),
            ..given.patch()
        })
        .await
        .unwrap();

    assert_eq!(patched, added);
    assert_eq!(same_values, added);
    assert_eq!(given.fakes.projects.published().len(), published);
    assert_eq!(given.fakes.projects.updates(), updates, "nothing was saved");
}

#[tokio::test]
async fn every_invalid_patch_field_is_reported_and_nothing_changes() {
    let given = given_project().await;
    let added = given.add(|_| {}).await.unwrap();

    let result = given
        .update(UpdateTask {
            name: Some("".into()),
            description: Some(Some("x".repeat(10_001))),
            labels: Some(vec!["#".into()]),
            priority: Some(TaskPriority::Low),
            ..given.patch()
        })
        .await;

    assert_eq!(fields(result), ["name", "description", "labels"]);
    let stored = given.fakes.projects.get(given.project).unwrap();
    assert_eq!(
        stored.task(TaskNumber::new(1)).map(|t| t.priority()),
        Some(added.priority)
    );
}

#[tokio::test]
async fn a_patch_on_an_unknown_task_is_not_found() {
    let given = given_project().await;
    let result = given.update(given.patch()).await;
    assert!(
        matches!(result, Err(ProjectCommandError::TaskNotFound(_))),
        "{result:?}"
    );
}
