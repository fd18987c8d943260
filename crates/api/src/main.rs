use std::process::ExitCode;

use api::cli::{Cli, Command, MigrateAction, OutboxAction, SeedArgs};
use api::config::{ConfigError, DatabaseSettings, LogFormat, Settings, ensure_reset_allowed};
use api::seed::{SeedEnd, SeedRequest, VolumePlan};
use api::{Application, connect_database, outbox_cli, telemetry};
use clap::Parser;
use migration::{Migrator, MigratorTrait};
use shared_kernel_application::error_chain;

/// mimalloc rather than the system's allocator: a request allocates and frees hundreds of
/// small values (statements, rows, events, JSON), and glibc's malloc spent about a fifth of
/// the server's instructions on a task's creation (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // A missing .env is the normal case; a broken one is reported by the settings below.
    let _ = dotenvy::dotenv();
    let _log = match LogFormat::from_env() {
        Ok(format) => telemetry::init(format),
        Err(error) => return configuration_error(&error),
    };

    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => match Settings::from_env() {
            Ok((settings, warnings)) => {
                for warning in warnings {
                    tracing::warn!("{}", warning.0);
                }
                serve(settings).await
            }
            Err(error) => return configuration_error(&error),
        },
        // The database tools read only what they need: no JWT secret, no server settings.
        Command::Migrate { action } => match DatabaseSettings::from_env() {
            Ok(settings) => migrate(&settings, action).await,
            Err(error) => return configuration_error(&error),
        },
        Command::Seed(args) => match Settings::from_env() {
            Ok((settings, _)) => match seed(&settings, args).await {
                Ok(SeedEnd::Done) => Ok(()),
                // What a shell reports for a process stopped by Ctrl-C.
                Ok(SeedEnd::Interrupted) => return ExitCode::from(130),
                Err(error) => Err(error),
            },
            Err(error) => return configuration_error(&error),
        },
        Command::Outbox { action } => match DatabaseSettings::from_env() {
            Ok(settings) => outbox(&settings, action).await,
            Err(error) => return configuration_error(&error),
        },
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error_chain(error.as_ref()));
            ExitCode::FAILURE
        }
    }
}

fn configuration_error(error: &ConfigError) -> ExitCode {
    eprintln!("configuration error: {error}");
    ExitCode::from(2)
}

type AnyError = Box<dyn std::error::Error + Send + Sync>;

async fn serve(settings: Settings) -> Result<(), AnyError> {
    let host = settings.host;
    let application = Application::build(settings).await?;
    tracing::info!(
        "listening on http://{host}:{port} (Swagger UI: http://{host}:{port}/api/docs)",
        port = application.port()
    );
    if let Some(metrics) = application.metrics_address() {
        tracing::info!("metrics on http://{metrics}/metrics");
    }
    application.run_until_stopped().await?;
    Ok(())
}

async fn seed(settings: &Settings, args: SeedArgs) -> Result<SeedEnd, AnyError> {
    let volume = args.users.map(|users| VolumePlan {
        users,
        projects_per_user: args.projects_per_user,
        tasks_per_project: args.tasks_per_project,
        completed_ratio: args.completed_ratio,
        rng_seed: args.rng_seed,
        due_around: VolumePlan::today(),
    });
    api::seed::run(
        settings,
        SeedRequest {
            reset: args.reset,
            force: args.force,
            volume,
        },
    )
    .await
}

async fn outbox(settings: &DatabaseSettings, action: OutboxAction) -> Result<(), AnyError> {
    let database = connect_database(settings).await?;
    // An inspection tool changes no schema; it says what is missing instead.
    if !Migrator::get_pending_migrations(&database)
        .await?
        .is_empty()
    {
        return Err("the database has pending migrations; run `api migrate up` first".into());
    }
    outbox_cli::run(database, action).await
}

async fn migrate(settings: &DatabaseSettings, action: MigrateAction) -> Result<(), AnyError> {
    let database = connect_database(settings).await?;
    match action {
        MigrateAction::Up => Migrator::up(&database, None).await?,
        MigrateAction::Down { steps } => Migrator::down(&database, Some(steps)).await?,
        MigrateAction::Status => {
            for migration in Migrator::get_migration_with_status(&database).await? {
                println!("{} {}", migration.status(), migration.name());
            }
        }
        MigrateAction::Fresh { force } => {
            ensure_reset_allowed(settings.environment, force)?;
            Migrator::fresh(&database).await?;
        }
    }
    println!("migrate: done");
    Ok(())
}
