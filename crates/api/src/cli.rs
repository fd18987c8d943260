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
    /// Look at the event outbox and re-queue dead events.
    Outbox {
        #[command(subcommand)]
        action: OutboxAction,
    },
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
