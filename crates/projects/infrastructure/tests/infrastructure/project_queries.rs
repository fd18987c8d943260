use platform_database::testing::{Backend, Postgres, Sqlite};
use projects_application::ports::ProjectQueries;
use projects_application::{
    ProjectStatus, ProjectView, SortKey, TaskCursor, TaskFilter, TaskQuery, TaskSort, TaskStatus,
    TaskView,
};
use projects_domain::{
    DueAt, Labels, ProjectId, TaskDescription, TaskDetails, TaskNumber, TaskPriority,
};
use rstest::rstest;
use shared_kernel_application::PageSize;
use shared_kernel_domain::UserId;

use crate::support::{Projects, new_project, now, task_name};

fn size(n: i64) -> PageSize {
    PageSize::new(n).unwrap()
}

/// The tasks with `status`, by number.
fn by_number(status: Option<TaskStatus>) -> TaskQuery {
    TaskQuery {
        filter: TaskFilter {
            status,
            ..TaskFilter::default()
        },
        sort: TaskSort::Number,
    }
}

#[rstest]
#[tokio::test]
async fn a_project_view_carries_its_counts(#[values(Sqlite, Postgres)] backend: Backend) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let project = projects.given_project(owner, "Garden", 5, 2).await;

    let view = projects
        .queries
        .get_project(owner, project.id())
        .await
        .unwrap()
        .unwrap();

    assert_eq!(view.name, "Garden");
    assert_eq!((view.task_count, view.incomplete_task_count), (5, 3));
    assert_eq!(view.created_at, project.created_at());
    assert!(
        projects
            .queries
            .get_project(UserId::new(), project.id())
            .await
            .unwrap()
            .is_none()
    );
}

#[rstest]
#[tokio::test]
async fn project_pages_walk_every_project_once_in_creation_order(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(
            projects
                .given_project(owner, &format!("p{i}"), 0, 0)
                .await
                .id(),
        );
    }
    projects
        .given_project(UserId::new(), "someone else's", 0, 0)
        .await;

    let mut seen: Vec<ProjectId> = Vec::new();
    let mut after = None;
    loop {
        let page = projects
            .queries
            .list_projects(owner, None, size(2), after)
            .await
            .unwrap();
        seen.extend(page.items.iter().map(|p| p.id));
        if !page.has_more {
            break;
        }
        after = seen.last().copied();
    }

    assert_eq!(seen, created);
}

#[rstest]
#[tokio::test]
async fn project_lists_filter_by_status_and_hide_deleted_ones(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let active = projects.given_project(owner, "active", 0, 0).await.id();
    let archived = projects.given_project(owner, "archived", 0, 0).await.id();
    let deleted = projects.given_project(owner, "deleted", 0, 0).await.id();
    projects
        .change(owner, archived, None, |p| p.archive(now()).unwrap())
        .await;
    projects
        .change(owner, deleted, None, |p| {
            p.archive(now()).unwrap();
            p.delete(now()).unwrap();
        })
        .await;

    let queries = &projects.queries;
    let ids = |status| async move {
        let page = queries
            .list_projects(owner, status, size(50), None)
            .await
            .unwrap();
        page.items.into_iter().map(|p| p.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(None).await, vec![active, archived]);
    assert_eq!(ids(Some(ProjectStatus::Active)).await, vec![active]);
    assert_eq!(ids(Some(ProjectStatus::Archived)).await, vec![archived]);
    assert!(
        projects
            .queries
            .get_project(owner, deleted)
            .await
            .unwrap()
            .is_none()
    );
}

#[rstest]
#[tokio::test]
async fn task_pages_go_by_number_and_filter_by_status(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let project = projects.given_project(owner, "Garden", 5, 2).await.id();

    let first = projects
        .queries
        .list_tasks(owner, project, &by_number(None), size(3), None)
        .await
        .unwrap()
        .unwrap();
    let second = projects
        .queries
        .list_tasks(
            owner,
            project,
            &by_number(None),
            size(3),
            Some(&after_number(project, 3)),
        )
        .await
        .unwrap()
        .unwrap();
    let numbers = |page: &shared_kernel_application::Page<projects_application::TaskView>| {
        page.items.iter().map(|t| t.number).collect::<Vec<_>>()
    };
    assert_eq!((numbers(&first), first.has_more), (vec![1, 2, 3], true));
    assert_eq!((numbers(&second), second.has_more), (vec![4, 5], false));

    let completed = projects
        .queries
        .list_tasks(
            owner,
            project,
            &by_number(Some(TaskStatus::Completed)),
            size(50),
            None,
        )
        .await
        .unwrap()
        .unwrap();
    let incomplete = projects
        .queries
        .list_tasks(
            owner,
            project,
            &by_number(Some(TaskStatus::Incomplete)),
            size(50),
            None,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(numbers(&completed), vec![1, 2]);
    assert_eq!(numbers(&incomplete), vec![3, 4, 5]);
}

#[rstest]
#[tokio::test]
async fn tasks_of_a_project_the_caller_cannot_see_are_not_found(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let project = projects.given_project(owner, "Garden", 1, 0).await.id();
    let stranger = UserId::new();

    let list = projects
        .queries
        .list_tasks(stranger, project, &by_number(None), size(50), None)
        .await;
    let task = projects
        .queries
        .get_task(stranger, project, TaskNumber::new(1))
        .await;

    assert!(list.unwrap().is_none());
    assert!(task.unwrap().is_none());
    let own = projects
        .queries
        .get_task(owner, project, TaskNumber::new(1))
        .await
        .unwrap();
    assert_eq!(own.unwrap().name, "task 1");
    let missing = projects
        .queries
        .get_task(owner, project, TaskNumber::new(9))
        .await
        .unwrap();
    assert!(missing.is_none());
}

#[rstest]
#[tokio::test]
async fn views_carry_every_field_as_the_aggregate_holds_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    // Every column a view reads, set: a maximum, an archive date, completion dates. The
    // SQLite readers read each column themselves, so each one is checked here.
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let mut project = new_project(owner, "Attic", Some(5));
    let first = project
        .add_task(task_name("Sort boxes"), TaskDetails::default(), now())
        .unwrap()
        .number();
    let details = TaskDetails {
        description: Some(TaskDescription::parse("Under the\n\tbeds too").unwrap()),
        due_at: Some(DueAt::new(now() - chrono::TimeDelta::days(2))),
        priority: TaskPriority::Urgent,
        labels: Labels::parse(&["home", "Dust"]).unwrap(),
    };
    let second = project
        .add_task(task_name("Sweep"), details, now())
        .unwrap()
        .number();
    project.complete_task(first, now()).unwrap();
    project.complete_task(second, now()).unwrap();
    project.archive(now()).unwrap();
    let unit_of_work = projects.begin().await;
    unit_of_work.projects().add(&mut project).await.unwrap();
    unit_of_work.commit().await.unwrap();

    let view = projects
        .queries
        .get_project(owner, project.id())
        .await
        .unwrap();
    let task = projects
        .queries
        .get_task(owner, project.id(), second)
        .await
        .unwrap();
    let page = projects
        .queries
        .list_tasks(owner, project.id(), &by_number(None), size(50), None)
        .await
        .unwrap()
        .unwrap();

    assert_eq!(view, Some(ProjectView::from(&project)));
    let id = project.id();
    let view_of = |task| TaskView::of(id, task, now());
    assert_eq!(task.as_ref(), Some(&view_of(project.task(second).unwrap())));
    let expected: Vec<TaskView> = project.loaded_tasks().iter().map(view_of).collect();
    assert_eq!(page.items, expected);
    let swept = &page.items[1];
    assert_eq!(swept.labels, ["dust", "home"]);
    assert_eq!(swept.priority, TaskPriority::Urgent);
    assert!(!swept.overdue, "a completed task is never overdue");
}

fn after_number(project: ProjectId, number: u32) -> TaskCursor {
    TaskCursor {
        key: SortKey::Number,
        project_id: project,
        number,
    }
}
