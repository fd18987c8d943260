//! Commands of keyed requests: the answer commits with the command's writes, or not at all.

use std::sync::Arc;

use projects_domain::ProjectId;
use shared_kernel_application::CommandHandler;
use shared_kernel_application::idempotency::{
    Claim, ClaimedKey, IdempotencyKey, IdempotencyKeys, KeyOwner, KeyState, KeyedAnswer,
    KeyedRequest, RequestFingerprint, StoredAnswer,
};
use shared_kernel_domain::UserId;

use super::*;
use crate::testing::Fakes;
use crate::{ProjectView, TaskView};

/// Claims `key` for `owner`, as the edge does before it runs the command.
async fn claim(fakes: &Fakes, owner: UserId, key: &str) -> ClaimedKey {
    let request = KeyedRequest {
        owner: KeyOwner::user(owner),
        key: IdempotencyKey::parse(key.as_bytes()).unwrap(),
        fingerprint: RequestFingerprint::new("POST /api/projects/…/tasks {}".into()),
    };
    match fakes.projects.answers.claim(&request).await.unwrap() {
        Claim::Claimed(claimed) => claimed,
        taken => panic!("the key is taken: {taken:?}"),
    }
}

/// The answer as the edge would write it: the task's number and name.
fn task_answer(task: &TaskView) -> StoredAnswer {
    StoredAnswer {
        status: 201,
        headers: vec![("location".into(), format!("/tasks/{}", task.number))],
        body: task.name.as_bytes().to_vec(),
    }
}

fn answering_task(key: &ClaimedKey) -> KeyedAnswer<TaskView> {
    KeyedAnswer::new(
        key.clone(),
        Arc::new(|task: &TaskView| Ok(task_answer(task))),
    )
}

fn state(fakes: &Fakes, key: &ClaimedKey) -> Option<KeyState> {
    fakes
        .projects
        .answers
        .record(&key.owner, &key.key)
        .map(|record| record.state)
}

async fn project(fakes: &Fakes, owner: UserId, max: Option<i64>) -> ProjectId {
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
        .id
}

async fn add_task(
    fakes: &Fakes,
    owner: UserId,
    project_id: ProjectId,
    keyed_answer: KeyedAnswer<TaskView>,
) -> Result<TaskView, ProjectCommandError> {
    fakes
        .commands()
        .handle(AddTask {
            owner,
            project_id,
            name: "Water the plants".into(),
            description: None,
            due_at: None,
            priority: None,
            labels: Vec::new(),
            keyed_answer: Some(keyed_answer),
        })
        .await
}

#[tokio::test]
async fn an_added_task_commits_with_its_answer() {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let project_id = project(&fakes, owner, None).await;
    let key = claim(&fakes, owner, "k1").await;

    let task = add_task(&fakes, owner, project_id, answering_task(&key))
        .await
        .unwrap();

    assert_eq!(
        state(&fakes, &key),
        Some(KeyState::Answered(task_answer(&task)))
    );
    assert_eq!(fakes.projects.get(project_id).unwrap().task_count(), 1);
}

#[tokio::test]
async fn a_refused_task_records_no_answer_with_the_rolled_back_change() {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let project_id = project(&fakes, owner, Some(1)).await;
    let first = claim(&fakes, owner, "k1").await;
    add_task(&fakes, owner, project_id, answering_task(&first))
        .await
        .unwrap();
    let second = claim(&fakes, owner, "k2").await;

    let refused = add_task(&fakes, owner, project_id, answering_task(&second)).await;

    assert!(
        matches!(refused, Err(ProjectCommandError::Rule(_))),
        "{refused:?}"
    );
    // Still the claim's: the edge keeps the refusal's answer in a transaction of its own.
    assert!(matches!(
        state(&fakes, &second),
        Some(KeyState::Running { .. })
    ));
}

#[tokio::test]
async fn a_command_whose_claim_was_taken_over_adds_nothing() {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let project_id = project(&fakes, owner, None).await;
    // The claim lapsed, and the key went to another request.
    let lapsed = claim(&fakes, owner, "k1").await;
    fakes.projects.answers.release(&lapsed).await.unwrap();
    claim(&fakes, owner, "k1").await;
    let commits = fakes.projects.commits();

    let result = add_task(&fakes, owner, project_id, answering_task(&lapsed)).await;

    assert!(
        matches!(result, Err(ProjectCommandError::Infrastructure(_))),
        "{result:?}"
    );
    assert_eq!(fakes.projects.commits(), commits);
    assert_eq!(fakes.projects.get(project_id).unwrap().task_count(), 0);
}

#[tokio::test]
async fn a_created_project_commits_with_its_answer() {
    let fakes = Fakes::new();
    let owner = UserId::new();
    let key = claim(&fakes, owner, "k1").await;
    let answer = |project: &ProjectView| StoredAnswer {
        status: 201,
        headers: vec![("location".into(), format!("/api/projects/{}", project.id))],
        body: project.name.as_bytes().to_vec(),
    };

    let view = fakes
        .commands()
        .handle(CreateProject {
            owner,
            name: "Garden".into(),
            max_incomplete_tasks: None,
            keyed_answer: Some(KeyedAnswer::new(
                key.clone(),
                Arc::new(move |project: &ProjectView| Ok(answer(project))),
            )),
        })
        .await
        .unwrap();

    assert_eq!(state(&fakes, &key), Some(KeyState::Answered(answer(&view))));
    assert!(fakes.projects.get(view.id).is_some());
}
