use activity_application::ports::ActivityQueries;
use activity_domain::{Change, TrackedTask};
use platform_database::testing::{Backend, Postgres, Sqlite};
use projects_contracts::{ProjectId, TaskNumber};
use rstest::rstest;
use shared_kernel_domain::UserId;

use crate::support::{Activity, new_entry_id, now};

#[rstest]
#[tokio::test]
async fn a_project_record_loads_as_it_was_added_with_the_task_asked_for(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let activity = Activity::on(backend).await;
    let owner = UserId::new();
    let (project, _) = activity.given_project(owner, "Garden").await;
    activity.given_task(project.id(), 1, "Weed").await;
    activity.given_task(project.id(), 2, "Water").await;

    let unit_of_work = activity.begin().await;
    let without_task = unit_of_work
        .projects()
        .get(project.id(), None)
        .await
        .unwrap()
        .unwrap();
    let with_task = unit_of_work
        .projects()
        .get(project.id(), Some(TaskNumber::new(2)))
        .await
        .unwrap()
        .unwrap();
    let unknown_task = unit_of_work
        .projects()
        .get(project.id(), Some(TaskNumber::new(u32::MAX)))
        .await
        .unwrap()
        .unwrap();
    let unknown_project = unit_of_work
        .projects()
        .get(ProjectId::new(), None)
        .await
        .unwrap();

    assert_eq!(
        (without_task.owner(), without_task.name()),
        (owner, Some("Garden"))
    );
    assert_eq!(without_task.task(), None);
    assert_eq!(
        with_task.task(),
        Some(&TrackedTask {
            number: TaskNumber::new(2),
            name: Some("Water".into())
        })
    );
    assert_eq!(unknown_task.task(), None);
    assert!(unknown_project.is_none());
}

#[rstest]
#[tokio::test]
async fn what_a_record_learns_is_saved_and_read_back(#[values(Sqlite, Postgres)] backend: Backend) {
    let activity = Activity::on(backend).await;
    let (project, _) = activity.given_project(UserId::new(), "Garden").await;
    activity.given_task(project.id(), 1, "Weed").await;

    activity
        .given_change(
            project.id(),
            Change::TaskRenamed {
                number: TaskNumber::new(1),
                name: "Weed the beds".into(),
            },
        )
        .await;
    activity
        .given_change(
            project.id(),
            Change::Updated {
                name: "Allotment".into(),
                max_incomplete_tasks: Some(4),
            },
        )
        .await;
    let completed = activity
        .given_change(
            project.id(),
            Change::TaskCompleted {
                number: TaskNumber::new(1),
            },
        )
        .await;
    activity.given_change(project.id(), Change::Deleted).await;

    assert_eq!(completed.summary, "Task 1 “Weed the beds” was completed");
    let unit_of_work = activity.begin().await;
    let saved = unit_of_work
        .projects()
        .get(project.id(), Some(TaskNumber::new(1)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.name(), Some("Allotment"));
    assert_eq!(saved.max_incomplete_tasks(), Some(4));
    assert!(saved.deleted_at().is_some());
    assert_eq!(
        saved.task().and_then(|task| task.name.as_deref()),
        Some("Weed the beds")
    );
}

#[rstest]
#[tokio::test]
async fn a_unit_of_work_dropped_without_committing_writes_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let activity = Activity::on(backend).await;
    let (project, _) = activity.given_project(UserId::new(), "Garden").await;

    {
        let unit_of_work = activity.begin().await;
        let mut tracked = unit_of_work
            .projects()
            .get(project.id(), None)
            .await
            .unwrap()
            .unwrap();
        let entry = tracked.record(Change::Archived, new_entry_id(), now());
        unit_of_work.entries().add(&entry).await.unwrap();
    }

    let page = activity
        .queries
        .project_entries(
            project.owner(),
            project.id(),
            shared_kernel_application::PageSize::DEFAULT,
            None,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.items.len(), 1, "only the creation");
}
