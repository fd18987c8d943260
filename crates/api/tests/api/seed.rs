//! `api seed`: the demo data as a newcomer sees it over HTTP, and the volume data's counts,
//! invariants and determinism, checked with queries.

use std::sync::Arc;

use api::seed::{DEMO_EMAIL, DEMO_PASSWORD, SeedEnd, SeedRequest, VOLUME_PASSWORD, VolumePlan};
use platform_database::testing::{Backend, Postgres, Sqlite, TestDatabase};
use rstest::rstest;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::helpers::{spawn_app_on, test_settings};
use crate::sql::count;

const DEMO: SeedRequest = SeedRequest {
    reset: false,
    force: false,
    volume: None,
};

fn volume(rng_seed: u64) -> SeedRequest {
    SeedRequest {
        reset: false,
        force: false,
        volume: Some(VolumePlan {
            users: 6,
            projects_per_user: 3,
            tasks_per_project: 12,
            completed_ratio: 0.5,
            rng_seed,
            due_around: chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap(),
        }),
    }
}

async fn seed(database: &TestDatabase, request: SeedRequest) -> SeedEnd {
    api::seed::run(&test_settings(&database.url, &[]), request)
        .await
        .unwrap()
}

/// Each project's name, maximum, archived flag and tasks (name, done), in list order.
async fn what_the_user_sees(app: &crate::helpers::TestApp, token: &str) -> Vec<Value> {
    let projects = app.read(token, "/api/projects").await;
    let mut seen = Vec::new();
    for project in projects["projects"].as_array().unwrap() {
        let id = project["id"].as_str().unwrap();
        let tasks = app.read(token, &format!("/api/projects/{id}/tasks")).await["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| serde_json::json!([t["name"], !t["completedAt"].is_null()]))
            .collect::<Vec<_>>();
        seen.push(serde_json::json!({
            "name": project["name"],
            "max": project["maxIncompleteTasks"],
            "archived": !project["archivedAt"].is_null(),
            "tasks": tasks,
        }));
    }
    seen
}

#[rstest]
#[tokio::test]
async fn the_demo_seed_runs_twice_and_the_demo_user_sees_exactly_the_demo_data(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let database = Arc::new(TestDatabase::create(backend).await);

    assert_eq!(seed(&database, DEMO).await, SeedEnd::Done);
    assert_eq!(
        seed(&database, DEMO).await,
        SeedEnd::Done,
        "the second run is a no-op"
    );

    let app = spawn_app_on(database, &[]).await;
    let token = app.token_for(DEMO_EMAIL, DEMO_PASSWORD).await;
    let project = |name: &str, max: Value, archived: bool, tasks: Value| serde_json::json!({"name": name, "max": max, "archived": archived, "tasks": tasks});
    assert_eq!(
        what_the_user_sees(&app, &token).await,
        vec![
            project(
                "My first project",
                Value::Null,
                false,
                serde_json::json!([
                    ["Sign up!", true],
                    ["Watch the tutorial", false],
                    ["Start using our awesome app", false]
                ])
            ),
            project(
                "Software Engineering",
                Value::Null,
                false,
                serde_json::json!([["Learn Rust", true]])
            ),
            project(
                "Learn Domain Driven Design",
                Value::Null,
                false,
                serde_json::json!([
                    ["Learn Clean Architecture", false],
                    ["Learn Event Sourcing", false],
                    ["Learn CQRS", false],
                    ["Read Domain Driven Design book", false]
                ])
            ),
            project(
                "Household",
                serde_json::json!(5),
                false,
                serde_json::json!([["Do the shopping", false], ["Clean the house", false]])
            ),
            project(
                "Old chores",
                Value::Null,
                true,
                serde_json::json!([["Fix the bike", true], ["Paint the fence", true]])
            ),
        ]
    );
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) FROM accounts_users").await,
        1
    );
}

#[rstest]
#[tokio::test]
async fn reset_is_refused_in_production_without_force(#[values(Sqlite)] backend: Backend) {
    let database = TestDatabase::create(backend).await;
    seed(&database, DEMO).await;
    let production = test_settings(&database.url, &[("APP_ENV", "production")]);
    let reset = |force| SeedRequest {
        reset: true,
        force,
        volume: None,
    };

    let refused = api::seed::run(&production, reset(false)).await.unwrap_err();
    assert!(refused.to_string().contains("--force"), "{refused}");
    let app_database = sea_orm::Database::connect(&database.url).await.unwrap();
    assert_eq!(
        count(&app_database, "SELECT COUNT(*) FROM accounts_users").await,
        1
    );

    api::seed::run(&production, reset(true)).await.unwrap();
    assert_eq!(
        count(&app_database, "SELECT COUNT(*) FROM projects_projects").await,
        5,
        "emptied, then seeded again"
    );
}

#[rstest]
#[tokio::test]
async fn the_volume_seed_writes_valid_aggregates_every_user_can_use(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let database = Arc::new(TestDatabase::create(backend).await);
    assert_eq!(seed(&database, volume(7)).await, SeedEnd::Done);
    let app = spawn_app_on(database, &[]).await;
    let db = &app.database;

    // 6 users, each with a starter project and 3 more; 12 tasks each, 3 in the starter.
    assert_eq!(count(db, "SELECT COUNT(*) FROM accounts_users").await, 6);
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM projects_projects").await,
        24
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM projects_tasks").await,
        6 * (3 * 12 + 3)
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(DISTINCT owner_id) FROM projects_projects WHERE name = 'My first project'"
        )
        .await,
        6
    );
    // The counters match the tasks; numbers run from 1 without gaps.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM projects_projects p WHERE task_count <> \
               (SELECT COUNT(*) FROM projects_tasks t WHERE t.project_id = p.id) \
             OR incomplete_task_count <> (SELECT COUNT(*) FROM projects_tasks t \
               WHERE t.project_id = p.id AND t.completed_at IS NULL) \
             OR last_task_number <> (SELECT COALESCE(MAX(number), 0) FROM projects_tasks t \
               WHERE t.project_id = p.id) \
             OR last_task_number <> task_count"
        )
        .await,
        0
    );
    // Maxima hold, and archived projects are done.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM projects_projects WHERE \
             (max_incomplete_tasks IS NOT NULL AND incomplete_task_count > max_incomplete_tasks) \
             OR (archived_at IS NOT NULL AND incomplete_task_count > 0)"
        )
        .await,
        0
    );
    // Some of each kind, so that the reads have something to filter.
    assert!(
        count(
            db,
            "SELECT COUNT(*) FROM projects_tasks WHERE completed_at IS NULL"
        )
        .await
            > 0
    );
    assert!(
        count(
            db,
            "SELECT COUNT(*) FROM projects_tasks WHERE completed_at IS NOT NULL"
        )
        .await
            > 0
    );
    // Volume data is a snapshot, not history: no events.
    assert_eq!(count(db, "SELECT COUNT(*) FROM event_outbox").await, 0);

    let token = app.token_for("user6@example.com", VOLUME_PASSWORD).await;
    let projects = app.read(&token, "/api/projects").await;
    assert_eq!(projects["projects"].as_array().unwrap().len(), 4);

    // The activity context knows every seeded project and task, with no history yet: the
    // next change gets its entry, told with the seeded name.
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM activity_projects").await,
        24
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM activity_tasks").await,
        6 * (3 * 12 + 3)
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM activity_entries").await, 0);
    let starter = &projects["projects"][0];
    let id = starter["id"].as_str().unwrap();
    let path = format!("/api/projects/{id}/tasks/2/complete");
    assert_eq!(app.put_action(&token, &path).await.status(), 200);
    let activity = app
        .read(&token, &format!("/api/projects/{id}/activity"))
        .await;
    assert_eq!(
        activity["entries"][0]["summary"],
        "Task 2 “Watch the tutorial” was completed"
    );
}

#[rstest]
#[tokio::test]
async fn the_same_seed_makes_the_same_data_and_another_seed_other_data(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let (first, second, other) = (
        TestDatabase::create(backend).await,
        TestDatabase::create(backend).await,
        TestDatabase::create(backend).await,
    );
    seed(&first, volume(7)).await;
    seed(&second, volume(7)).await;
    seed(&other, volume(8)).await;

    let first = dump(&first).await;
    assert_eq!(first.len(), 6 + 24 + 234);
    assert_eq!(first, dump(&second).await);
    assert_ne!(first, dump(&other).await);
}

#[rstest]
#[tokio::test]
async fn a_second_volume_seed_without_reset_is_refused_and_changes_nothing(
    #[values(Sqlite)] backend: Backend,
) {
    let database = TestDatabase::create(backend).await;
    seed(&database, volume(7)).await;

    let refused = api::seed::run(&test_settings(&database.url, &[]), volume(7))
        .await
        .unwrap_err();

    assert!(refused.to_string().contains("--reset"), "{refused}");
    let db = sea_orm::Database::connect(&database.url).await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM accounts_users").await, 6);
}

/// Every seeded row, as text, in a stable order.
async fn dump(database: &TestDatabase) -> Vec<String> {
    let db = sea_orm::Database::connect(&database.url).await.unwrap();
    let backend = db.get_database_backend();
    // SQLite stores uuids as blobs: `quote` spells any value out as text.
    let text = |column: &str| match backend {
        sea_orm::DatabaseBackend::Sqlite => format!("quote({column})"),
        _ => format!("CAST({column} AS TEXT)"),
    };
    let queries = [
        format!(
            "SELECT {} FROM accounts_users ORDER BY id",
            ["id", "email", "password_hash", "created_at"]
                .map(text)
                .join(" || '|' || ")
        ),
        format!(
            "SELECT {} FROM projects_projects ORDER BY id",
            [
                "id",
                "owner_id",
                "name",
                "COALESCE(CAST(max_incomplete_tasks AS TEXT), '-')",
                "task_count",
                "incomplete_task_count",
                "COALESCE(CAST(archived_at AS TEXT), '-')",
                "created_at",
            ]
            .map(text)
            .join(" || '|' || ")
        ),
        format!(
            "SELECT {} FROM projects_tasks ORDER BY project_id, number",
            [
                "project_id",
                "number",
                "name",
                "COALESCE(CAST(completed_at AS TEXT), '-')",
                "created_at",
            ]
            .map(text)
            .join(" || '|' || ")
        ),
    ];
    let mut rows = Vec::new();
    for sql in queries {
        for row in db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
        {
            rows.push(row.try_get_by_index::<String>(0).unwrap());
        }
    }
    rows
}

#[tokio::test]
async fn on_postgresql_the_volume_seed_leaves_the_tables_vacuumed_and_analyzed() {
    let database = Arc::new(TestDatabase::create(Postgres).await);
    assert_eq!(seed(&database, volume(11)).await, SeedEnd::Done);
    let pool = sea_orm::Database::connect(&database.url).await.unwrap();

    // Set by the seed's own VACUUM (ANALYZE), not by autovacuum, which waits for a minute at
    // least: the first requests then find the statistics and the visibility map ready.
    let settled = count(
        &pool,
        "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname IN \
         ('projects_tasks', 'projects_projects', 'accounts_users') \
         AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL",
    )
    .await;
    assert_eq!(settled, 3);
}
