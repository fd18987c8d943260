use std::process::ExitCode;

use api::cli::{Cli, Command, MigrateAction};
use api::config::{Environment, Settings};
use api::{Application, telemetry};
use clap::Parser;
use migration::{Migrator, MigratorTrait};
use shared_kernel_application::error_chain;
use shared_kernel_infrastructure::{DatabaseOptions, connect};

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // A missing .env is the normal case; a broken one is reported by the settings below.
    let _ = dotenvy::dotenv();
    let (settings, warnings) = match Settings::from_env() {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init();
    for warning in warnings {
        tracing::warn!("{}", warning.0);
    }

    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate { action } => migrate(&settings, action).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error_chain(error.as_ref()));
            ExitCode::FAILURE
        }
    }
}

type AnyError = Box<dyn std::error::Error + Send + Sync>;

async fn serve(settings: Settings) -> Result<(), AnyError> {
    let host = settings.host;
    let application = Application::build(settings).await?;
    tracing::info!(
        "listening on http://{host}:{port} (Swagger UI: http://{host}:{port}/api/docs)",
        port = application.port()
    );
    application.run_until_stopped().await?;
    Ok(())
}

async fn migrate(settings: &Settings, action: MigrateAction) -> Result<(), AnyError> {
    let database = connect(&settings.database_url, &DatabaseOptions::default()).await?;
    match action {
        MigrateAction::Up => Migrator::up(&database, None).await?,
        MigrateAction::Down { steps } => Migrator::down(&database, Some(steps)).await?,
        MigrateAction::Status => {
            for migration in Migrator::get_migration_with_status(&database).await? {
                println!("{} {}", migration.status(), migration.name());
            }
        }
        MigrateAction::Fresh { force } => {
            if settings.environment == Environment::Production && !force {
                return Err(
                    "refusing to drop every table with APP_ENV=production; add --force".into(),
                );
            }
            Migrator::fresh(&database).await?;
        }
    }
    println!("migrate: done");
    Ok(())
}
