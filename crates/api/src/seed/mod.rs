//! `api seed`: demo data for a newcomer (the default) and volume data for benchmarks
//! (`--users N …`). Both apply the migrations first; `--reset` empties the database before.

mod demo;
mod progress;
mod random;
mod volume;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use accounts_application::ports::UserQueries;
use accounts_infrastructure::{BcryptPasswordHasher, SeaOrmUserQueries};
use migration::{Migrator, MigratorTrait};
use platform_database::{Database, ReadConnection};
use projects_application::ports::ProjectQueries;
use projects_infrastructure::SeaOrmProjectQueries;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};
use shared_kernel_application::PageSize;
use shared_kernel_domain::{EmailAddress, UserId};
use shared_kernel_infrastructure::SystemClock;

pub use demo::{DEMO_EMAIL, DEMO_PASSWORD, DemoOutcome, seed_demo};
pub use volume::{VOLUME_PASSWORD, VolumePlan, VolumeReport, seed_volume, volume_email};

use crate::composition::compose;
use crate::config::{Settings, ensure_reset_allowed};
use crate::startup::connect_and_migrate;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// What `api seed` was asked to do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeedRequest {
    pub reset: bool,
    pub force: bool,
    /// `None`: the demo data.
    pub volume: Option<VolumePlan>,
}

/// How `api seed` ended, for the exit code.
#[derive(Debug, PartialEq, Eq)]
pub enum SeedEnd {
    Done,
    /// Ctrl-C: whole batches were kept.
    Interrupted,
}

pub async fn run(settings: &Settings, request: SeedRequest) -> Result<SeedEnd, AnyError> {
    if request.reset {
        ensure_reset_allowed(settings.environment, request.force)?;
    }
    let database = connect_and_migrate(&settings.database).await?;
    if request.reset {
        Migrator::fresh(&database.pool).await?;
        println!("seed: emptied the database and re-ran every migration");
    }
    match request.volume {
        None => {
            demo(settings, &database).await?;
            Ok(SeedEnd::Done)
        }
        Some(plan) => volume(settings, &database.pool, plan).await,
    }
}

async fn demo(settings: &Settings, database: &Database) -> Result<(), AnyError> {
    let bus = compose(settings, database)?.bus;
    match seed_demo(&bus).await? {
        DemoOutcome::AlreadyThere => {
            println!("seed: the demo user {DEMO_EMAIL} already exists; the data is left as it is");
            println!("      (`api seed --reset` starts over)");
        }
        DemoOutcome::Created(user) => {
            println!("seed: created the demo user {DEMO_EMAIL} and these projects:");
            let queries =
                SeaOrmProjectQueries::new(database.queries.clone(), Arc::new(SystemClock));
            print_projects(&queries, user).await?;
        }
    }
    println!();
    println!(
        "Log in at http://{}:{}/api/docs (Authorize) with",
        settings.host, settings.port
    );
    println!("  email:    {DEMO_EMAIL}");
    println!("  password: {DEMO_PASSWORD}");
    Ok(())
}

async fn print_projects(queries: &dyn ProjectQueries, owner: UserId) -> Result<(), AnyError> {
    let page = queries
        .list_projects(owner, None, PageSize::DEFAULT, None)
        .await?;
    for project in page.items {
        let done = project.task_count - project.incomplete_task_count;
        let tasks = match project.task_count {
            1 => "1 task".to_string(),
            n => format!("{n} tasks"),
        };
        let mut notes = vec![format!("{tasks}, {done} done")];
        if let Some(max) = project.max_incomplete_tasks {
            notes.push(format!("at most {max} incomplete"));
        }
        if project.archived_at.is_some() {
            notes.push("archived".into());
        }
        println!("  - {} ({})", project.name, notes.join(", "));
    }
    Ok(())
}

async fn volume(
    settings: &Settings,
    database: &DatabaseConnection,
    plan: VolumePlan,
) -> Result<SeedEnd, AnyError> {
    let first = EmailAddress::parse(&volume_email(1))?;
    if SeaOrmUserQueries::new(ReadConnection::Pool(database.clone()))
        .find_credentials(&first)
        .await?
        .is_some()
    {
        return Err(format!(
            "the database already holds volume data ({first} exists); add --reset to start over"
        )
        .into());
    }
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("seed: stopping after the batch in hand");
                stop.store(true, Ordering::SeqCst);
            }
        })
    };
    let hasher = BcryptPasswordHasher::new(
        settings.accounts.bcrypt_cost,
        settings.accounts.hashing_queue,
    );
    let report = seed_volume(database, &hasher, plan, stop).await;
    watcher.abort();
    let report = report?;
    print_report(&report);
    if report.interrupted {
        return Ok(SeedEnd::Interrupted);
    }
    settle_after_bulk_load(database).await?;
    println!(
        "Every user logs in with the password {VOLUME_PASSWORD:?}: {} … {}",
        volume_email(1),
        volume_email(plan.users)
    );
    Ok(SeedEnd::Done)
}

/// On PostgreSQL, `VACUUM (ANALYZE)` once the bulk load is done, as PostgreSQL's manual asks
/// after populating a database: the planner gets the new tables' statistics, and the
/// visibility map and hint bits are set now, instead of by autovacuum in the first minutes of
/// serving. That was the work that slowed the first task pages of `make bench-pg` on the
/// large data set (scenario 7 at 1.5 to 1.7×, docs/benchmarks.md "Issue #19"). SQLite plans
/// these queries from its indexes alone.
async fn settle_after_bulk_load(database: &DatabaseConnection) -> Result<(), AnyError> {
    if database.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let started = std::time::Instant::now();
    database.execute_unprepared("VACUUM (ANALYZE)").await?;
    println!(
        "seed: vacuumed and analyzed the database in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn print_report(report: &VolumeReport) {
    println!(
        "seed: {}{} users, {} projects, {} tasks: {} rows in {:.1} s ({:.0} rows/s)",
        if report.interrupted {
            "interrupted; kept "
        } else {
            ""
        },
        report.users,
        report.projects,
        report.tasks,
        report.rows(),
        report.elapsed.as_secs_f64(),
        progress::rows_per_second(report.rows(), report.elapsed)
    );
}
