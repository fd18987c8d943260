use clap::{Parser, Subcommand, ValueEnum};
use uuid::Uuid;

/// The task API server and its tools.
#[derive(Debug, Parser)]
#[command(name = "api", version, about = "The task API server and its tools.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API (the default).
    Serve,
    /// Manage the database schema.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Fill the database: demo data by default, volume data with --users.
    Seed(SeedArgs),
    /// Look at the event outbox and re-queue dead events.
    Outbox {
        #[command(subcommand)]
        action: OutboxAction,
    },
}

/// `api seed [--reset [--force]] [--users N [--projects-per-user P] [--tasks-per-project T]
/// [--completed-ratio R] [--rng-seed S]]`
#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// Empty the database and re-run every migration first. Refused with
    /// APP_ENV=production unless --force is given too.
    #[arg(long)]
    pub reset: bool,
    #[arg(long, requires = "reset")]
    pub force: bool,
    /// Volume data instead of the demo: this many users, each with a starter project.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub users: Option<u64>,
    /// Projects per volume user, besides the starter project.
    #[arg(long, requires = "users", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=10_000))]
    pub projects_per_user: u64,
    /// Tasks per volume project.
    #[arg(long, requires = "users", default_value_t = 100,
          value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub tasks_per_project: u64,
    /// The share of volume tasks that are done, from 0 to 1.
    #[arg(long, requires = "users", default_value_t = 0.5, value_parser = ratio)]
    pub completed_ratio: f64,
    /// The same seed makes the same data.
    #[arg(long, requires = "users", default_value_t = 1)]
    pub rng_seed: u64,
}

fn ratio(raw: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!("{raw:?} is not a number from 0 to 1")),
    }
}

#[derive(Debug, Subcommand)]
pub enum OutboxAction {
    /// List stored events, oldest first: the dead ones unless --status says otherwise.
    List {
        #[arg(long, value_enum, default_value_t = OutboxStatus::Dead)]
        status: OutboxStatus,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u64,
        /// One JSON object per line: the stored event and its delivery state.
        #[arg(long)]
        json: bool,
    },
    /// Put dead events back in the queue with a fresh set of attempts.
    Retry {
        /// The events to re-queue.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        event_ids: Vec<Uuid>,
        /// Re-queue every dead event.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutboxStatus {
    Dead,
    Pending,
    All,
}

#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Roll back the last migrations.
    Down {
        /// How many to roll back.
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
    /// Drop every table and apply every migration again. Refused in production without
    /// --force.
    Fresh {
        #[arg(long)]
        force: bool,
    },
}
