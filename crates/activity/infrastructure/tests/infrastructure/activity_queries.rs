use activity_application::ports::ActivityQueries;
use activity_domain::{Change, EntryKind};
use platform_database::testing::{Backend, Postgres, Sqlite};
use projects_contracts::{ProjectId, TaskNumber};
use rstest::rstest;
use shared_kernel_application::PageSize;
use shared_kernel_domain::UserId;

use crate::support::Activity;

fn size(n: i64) -> PageSize {
    PageSize::new(n).unwrap()
}

#[rstest]
#[tokio::test]
async fn a_projects_entries_page_newest_first_and_each_once(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let activity = Activity::on(backend).await;
    let owner = UserId::new();
    let (project, created) = activity.given_project(owner, "Garden").await;
    let added = activity.given_task(project.id(), 1, "Weed").await;
    let completed = activity
        .given_change(
            project.id(),
            Change::TaskCompleted {
                number: TaskNumber::new(1),
            },
        )
        .await;

    let first = activity
        .queries
        .project_entries(owner, project.id(), size(2), None)
        .await
        .unwrap()
        .unwrap();
    let after = first.continues_after().unwrap().id;
    let second = activity
        .queries
        .project_entries(owner, project.id(), size(2), Some(after))
        .await
        .unwrap()
        .unwrap();

    let ids: Vec<_> = first.items.iter().map(|e| e.id).collect();
    assert_eq!(ids, [completed.id, added.id]);
    assert!(first.has_more);
    assert_eq!(
        second.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        [created.id]
    );
    assert!(!second.has_more);
    let view = &first.items[0];
    assert_eq!(view.kind, EntryKind::TaskCompleted);
    assert_eq!(view.task_number, Some(1));
    assert_eq!(view.project_id, project.id());
    assert_eq!(view.summary, "Task 1 “Weed” was completed");
    assert_eq!(view.occurred_at, completed.occurred_at);
    assert_eq!(second.items[0].task_number, None);
}

#[rstest]
#[tokio::test]
async fn a_project_another_user_owns_one_never_heard_of_or_a_deleted_one_is_not_found(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let activity = Activity::on(backend).await;
    let (owner, stranger) = (UserId::new(), UserId::new());
    let (project, _) = activity.given_project(owner, "Garden").await;
    let (deleted, _) = activity.given_project(owner, "Old").await;
    activity.given_change(deleted.id(), Change::Deleted).await;

    let read = |caller, id| activity.queries.project_entries(caller, id, size(50), None);

    assert!(read(stranger, project.id()).await.unwrap().is_none());
    assert!(read(owner, ProjectId::new()).await.unwrap().is_none());
    assert!(read(owner, deleted.id()).await.unwrap().is_none());
    assert!(read(owner, project.id()).await.unwrap().is_some());
}

#[rstest]
#[tokio::test]
async fn a_page_past_the_last_entry_is_empty_not_missing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let activity = Activity::on(backend).await;
    let owner = UserId::new();
    let (project, created) = activity.given_project(owner, "Garden").await;

    let page = activity
        .queries
        .project_entries(owner, project.id(), size(10), Some(created.id))
        .await
        .unwrap()
        .unwrap();

    assert!(page.items.is_empty() && !page.has_more);
}

#[rstest]
#[tokio::test]
async fn a_users_entries_span_their_projects_but_not_deleted_ones_nor_anyone_elses(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let activity = Activity::on(backend).await;
    let (owner, other) = (UserId::new(), UserId::new());
    let (garden, garden_created) = activity.given_project(owner, "Garden").await;
    let (old, _) = activity.given_project(owner, "Old").await;
    activity.given_project(other, "Theirs").await;
    let (_, shed_created) = activity.given_project(owner, "Shed").await;
    let weeded = activity.given_task(garden.id(), 1, "Weed").await;
    activity.given_change(old.id(), Change::Deleted).await;

    let first = activity
        .queries
        .owner_entries(owner, size(2), None)
        .await
        .unwrap();
    let second = activity
        .queries
        .owner_entries(owner, size(2), first.continues_after().map(|e| e.id))
        .await
        .unwrap();

    let ids: Vec<_> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, [weeded.id, shed_created.id, garden_created.id]);
    assert!(!second.has_more);
}
