//! The migration that gave tasks their details, run over tasks written before it: they read
//! back with no description, no due date, priority `none`, no labels, and as updated when
//! they were last completed or created.

use chrono::{DateTime, Utc};
use migration::{Migrator, MigratorTrait};
use platform_database::testing::{Backend, Postgres, Sqlite, TestDatabase};
use platform_database::{Database, DatabaseOptions};
use projects_application::ports::ProjectQueries;
use projects_application::{TaskFilter, TaskQuery, TaskSort, TaskStatus};
use projects_domain::{ProjectId, TaskNumber, TaskPriority};
use projects_infrastructure::SeaOrmProjectQueries;
use sea_orm::{ConnectionTrait, Statement};
use shared_kernel_application::PageSize;
use shared_kernel_domain::{FixedClock, UserId};

const DETAILS_MIGRATION: &str = "m20261201_000012_add_task_details";

#[rstest::rstest]
#[tokio::test]
async fn tasks_from_before_read_back_with_no_details(#[values(Sqlite, Postgres)] backend: Backend) {
    let test_database = TestDatabase::create(backend).await;
    let database = Database::connect(&test_database.url, &DatabaseOptions::default())
        .await
        .unwrap();
    let pool = &database.pool;
    let before = Migrator::migrations()
        .iter()
        .take_while(|m| m.name() != DETAILS_MIGRATION)
        .count();
    Migrator::up(pool, Some(u32::try_from(before).unwrap()))
        .await
        .unwrap();
    let (owner, project) = (UserId::new(), ProjectId::new());
    let created: DateTime<Utc> = "2026-11-01T10:00:00Z".parse().unwrap();
    let completed: DateTime<Utc> = "2026-11-02T10:00:00Z".parse().unwrap();
    let backend = pool.get_database_backend();
    let insert = |sql: &str, values: Vec<sea_orm::Value>| {
        Statement::from_sql_and_values(backend, sql, values)
    };
    pool.execute_raw(insert(
        "INSERT INTO projects_projects (id, owner_id, name, last_task_number, task_count, \
         incomplete_task_count, created_at, version) VALUES ($1, $2, 'Old', 2, 2, 1, $3, 0)",
        vec![
            project.as_uuid().into(),
            owner.as_uuid().into(),
            created.into(),
        ],
    ))
    .await
    .unwrap();
    pool.execute_raw(insert(
        "INSERT INTO projects_tasks (project_id, number, name, completed_at, created_at) \
         VALUES ($1, 1, 'Done long ago', $2, $3), ($1, 2, 'Still open', NULL, $3)",
        vec![project.as_uuid().into(), completed.into(), created.into()],
    ))
    .await
    .unwrap();

    Migrator::up(pool, None).await.unwrap();

    let clock = std::sync::Arc::new(FixedClock::at(Utc::now()));
    let queries = SeaOrmProjectQueries::new(database.queries.clone(), clock);
    for (number, updated) in [(1, completed), (2, created)] {
        let task = queries
            .get_task(owner, project, TaskNumber::new(number))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(task.description, None);
        assert_eq!(task.due_at, None);
        assert_eq!(task.priority, TaskPriority::None);
        assert!(task.labels.is_empty());
        assert!(!task.overdue);
        assert_eq!(task.updated_at, updated, "task {number}");
    }
    // The owner copied onto each task: the old open task is in its owner's list of all tasks.
    let open = TaskQuery {
        filter: TaskFilter {
            status: Some(TaskStatus::Incomplete),
            ..TaskFilter::default()
        },
        sort: TaskSort::DueAt,
    };
    let page = queries
        .list_all_tasks(owner, &open, PageSize::DEFAULT, None)
        .await
        .unwrap();
    let listed: Vec<u32> = page.items.iter().map(|task| task.number).collect();
    assert_eq!(listed, [2]);
}
