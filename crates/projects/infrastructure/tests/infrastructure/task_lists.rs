//! Task lists with filters, sorts and keyset pages, on both databases: one project's and all
//! the owner's across projects.

use chrono::{DateTime, TimeDelta, Utc};
use platform_database::testing::{Backend, Postgres, Sqlite};
use projects_application::ports::ProjectQueries;
use projects_application::{
    TaskCursor, TaskFilter, TaskQuery, TaskSearch, TaskSort, TaskStatus, TaskView,
};
use projects_domain::{
    DueAt, Label, Labels, Project, ProjectId, TaskDescription, TaskDetails, TaskNumber,
    TaskPriority,
};
use rstest::rstest;
use shared_kernel_application::PageSize;
use shared_kernel_domain::UserId;

use crate::support::{Projects, new_project, now, task_name};

/// A task to add: name, description, due in days from now, priority, labels.
type Spec = (
    &'static str,
    Option<&'static str>,
    Option<i64>,
    TaskPriority,
    &'static [&'static str],
);

/// Project "A": six tasks with every kind of detail, added at times out of number order,
/// tasks 3 and 4 completed.
const A: [Spec; 6] = [
    (
        "Buy milk",
        Some("Oat, not soy"),
        Some(-2),
        TaskPriority::High,
        &["home", "shop"],
    ),
    (
        "Call the bank",
        None,
        Some(1),
        TaskPriority::Urgent,
        &["work"],
    ),
    ("Write 50%_report", None, None, TaskPriority::None, &[]),
    (
        "Water plants",
        Some("Balcony and KITCHEN"),
        Some(-1),
        TaskPriority::Low,
        &["home"],
    ),
    (
        "Sort photos",
        None,
        Some(10),
        TaskPriority::High,
        &["home", "someday"],
    ),
    ("Fix the bike", None, None, TaskPriority::Urgent, &[]),
];
/// Minutes before now that each of A's tasks was added.
const A_ADDED: [i64; 6] = [5, 4, 10, 3, 2, 1];

fn details(spec: &Spec, at: DateTime<Utc>) -> TaskDetails {
    let (_, description, due_in_days, priority, labels) = *spec;
    TaskDetails {
        description: description.map(|d| TaskDescription::parse(d).unwrap()),
        due_at: due_in_days.map(|days| DueAt::new(at + TimeDelta::days(days))),
        priority,
        labels: Labels::parse(labels).unwrap(),
    }
}

fn project_with(owner: UserId, name: &str, specs: &[Spec], added: &[i64]) -> Project {
    let at = now();
    let mut project = new_project(owner, name, None);
    for (spec, minutes) in specs.iter().zip(added) {
        project
            .add_task(
                task_name(spec.0),
                details(spec, at),
                at - TimeDelta::minutes(*minutes),
            )
            .unwrap();
    }
    project
}

struct World {
    projects: Projects,
    owner: UserId,
    a: ProjectId,
    b: ProjectId,
}

async fn world(backend: Backend) -> World {
    let projects = Projects::on(backend).await;
    let owner = UserId::new();
    let at = now();
    let mut a = project_with(owner, "A", &A, &A_ADDED);
    a.complete_task(TaskNumber::new(3), at - TimeDelta::minutes(6))
        .unwrap();
    a.complete_task(TaskNumber::new(4), at).unwrap();
    projects.save_new(&mut a).await;
    let mut b = project_with(
        owner,
        "B",
        &[
            ("Pay rent", None, Some(3), TaskPriority::Medium, &["home"]),
            ("Book flights", None, None, TaskPriority::None, &[]),
        ],
        &[2, 1],
    );
    projects.save_new(&mut b).await;
    // Neither an archived project's tasks nor another owner's are anyone's list.
    let mut archived = project_with(
        owner,
        "C",
        &[("Old milk", None, Some(-5), TaskPriority::High, &["home"])],
        &[1],
    );
    archived.complete_task(TaskNumber::new(1), at).unwrap();
    archived.archive(at).unwrap();
    projects.save_new(&mut archived).await;
    let mut stranger = project_with(
        UserId::new(),
        "E",
        &[("Buy milk", None, Some(-2), TaskPriority::High, &["home"])],
        &[1],
    );
    projects.save_new(&mut stranger).await;
    World {
        projects,
        owner,
        a: a.id(),
        b: b.id(),
    }
}

fn query(filter: TaskFilter, sort: TaskSort) -> TaskQuery {
    TaskQuery { filter, sort }
}

impl World {
    /// Every task of project A that `query` lists, walked in pages of `page` tasks.
    async fn walk_a(&self, query: &TaskQuery, page: i64) -> Vec<u32> {
        let mut after: Option<TaskCursor> = None;
        let mut seen = Vec::new();
        loop {
            let listed = self
                .projects
                .queries
                .list_tasks(
                    self.owner,
                    self.a,
                    query,
                    PageSize::new(page).unwrap(),
                    after.as_ref(),
                )
                .await
                .unwrap()
                .unwrap();
            seen.extend(listed.items.iter().map(|task| task.number));
            match listed.continues_after() {
                Some(last) => after = Some(TaskCursor::after(last, query.sort)),
                None => return seen,
            }
        }
    }

    async fn a(&self, filter: TaskFilter) -> Vec<u32> {
        self.walk_a(&query(filter, TaskSort::Number), 50).await
    }

    /// Every task of the owner's that `query` lists, as (project, number), in pages of `page`.
    async fn walk_all(&self, query: &TaskQuery, page: i64) -> Vec<(&'static str, u32)> {
        let mut after: Option<TaskCursor> = None;
        let mut seen = Vec::new();
        loop {
            let listed = self
                .projects
                .queries
                .list_all_tasks(
                    self.owner,
                    query,
                    PageSize::new(page).unwrap(),
                    after.as_ref(),
                )
                .await
                .unwrap();
            seen.extend(
                listed
                    .items
                    .iter()
                    .map(|task| (self.name(task), task.number)),
            );
            match listed.continues_after() {
                Some(last) => after = Some(TaskCursor::after(last, query.sort)),
                None => return seen,
            }
        }
    }

    fn name(&self, task: &TaskView) -> &'static str {
        match task.project_id {
            id if id == self.a => "A",
            id if id == self.b => "B",
            _ => "?",
        }
    }
}

fn labels(names: &[&str]) -> Vec<Label> {
    names
        .iter()
        .map(|name| Label::parse(name).unwrap())
        .collect()
}

fn search(text: &str) -> Option<TaskSearch> {
    Some(TaskSearch::parse(text).unwrap())
}

#[rstest]
#[tokio::test]
async fn each_filter_keeps_the_tasks_it_names(#[values(Sqlite, Postgres)] backend: Backend) {
    let world = world(backend).await;
    let none = TaskFilter::default;

    let urgent_or_high = vec![TaskPriority::High, TaskPriority::Urgent];
    assert_eq!(
        world
            .a(TaskFilter {
                priorities: urgent_or_high,
                ..none()
            })
            .await,
        [1, 2, 5, 6]
    );
    let home = TaskFilter {
        labels: labels(&["HOME"]),
        ..none()
    };
    assert_eq!(world.a(home).await, [1, 4, 5]);
    let every_label = TaskFilter {
        labels: labels(&["home", "someday"]),
        ..none()
    };
    assert_eq!(world.a(every_label).await, [5]);
    let incomplete_at_home = TaskFilter {
        status: Some(TaskStatus::Incomplete),
        labels: labels(&["home"]),
        ..none()
    };
    assert_eq!(world.a(incomplete_at_home).await, [1, 5]);
    let due_before_now = TaskFilter {
        due_before: Some(now()),
        ..none()
    };
    assert_eq!(world.a(due_before_now).await, [1, 4]);
    let due_from_now = TaskFilter {
        due_after: Some(now()),
        ..none()
    };
    assert_eq!(world.a(due_from_now).await, [2, 5]);
    let within_a_week = TaskFilter {
        due_after: Some(now() - TimeDelta::days(1) - TimeDelta::hours(1)),
        due_before: Some(now() + TimeDelta::days(7)),
        ..none()
    };
    assert_eq!(world.a(within_a_week).await, [2, 4]);
    let overdue = |overdue| TaskFilter {
        overdue: Some(overdue),
        ..none()
    };
    assert_eq!(world.a(overdue(true)).await, [1]);
    assert_eq!(world.a(overdue(false)).await, [2, 3, 4, 5, 6]);
}

#[rstest]
#[tokio::test]
async fn a_search_matches_names_and_descriptions_regardless_of_case_and_literally(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let world = world(backend).await;
    let q = |text| TaskFilter {
        search: search(text),
        ..TaskFilter::default()
    };

    assert_eq!(world.a(q("MILK")).await, [1]);
    assert_eq!(world.a(q("kitchen")).await, [4]);
    assert_eq!(world.a(q("oat, not")).await, [1]);
    // `%` and `_` are the text itself, not LIKE's wildcards.
    assert_eq!(world.a(q("%")).await, [3]);
    assert_eq!(world.a(q("_")).await, [3]);
    assert_eq!(world.a(q("nothing like it")).await, Vec::<u32>::new());
}

#[rstest]
#[tokio::test]
async fn every_sort_orders_the_tasks_and_its_pages_see_each_once(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let world = world(backend).await;

    for (sort, expected) in [
        (TaskSort::Number, [1, 2, 3, 4, 5, 6]),
        // Soonest first, those without a due date last.
        (TaskSort::DueAt, [1, 4, 2, 5, 3, 6]),
        (TaskSort::PriorityDescending, [2, 6, 1, 5, 4, 3]),
        (TaskSort::CreatedAt, [3, 1, 2, 4, 5, 6]),
        (TaskSort::UpdatedAtDescending, [4, 6, 5, 2, 1, 3]),
    ] {
        let query = query(TaskFilter::default(), sort);
        assert_eq!(world.walk_a(&query, 50).await, expected, "{sort:?}");
        for page in [1, 2, 4] {
            assert_eq!(
                world.walk_a(&query, page).await,
                expected,
                "{sort:?} by {page}"
            );
        }
    }
}

#[rstest]
#[tokio::test]
async fn all_tasks_span_the_owner_s_active_projects_only(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let world = world(backend).await;
    let incomplete = TaskFilter {
        status: Some(TaskStatus::Incomplete),
        ..TaskFilter::default()
    };
    let by_due = query(incomplete, TaskSort::DueAt);
    // Ties between tasks without a due date go by project (A was created first), then number.
    let expected = [("A", 1), ("A", 2), ("B", 1), ("A", 5), ("A", 6), ("B", 2)];

    assert_eq!(world.walk_all(&by_due, 50).await, expected);
    assert_eq!(world.walk_all(&by_due, 2).await, expected);
    let overdue = TaskFilter {
        overdue: Some(true),
        ..TaskFilter::default()
    };
    assert_eq!(
        world.walk_all(&query(overdue, TaskSort::DueAt), 50).await,
        [("A", 1)]
    );
    let everything = query(TaskFilter::default(), TaskSort::Number);
    assert_eq!(world.walk_all(&everything, 3).await.len(), 8);
}
