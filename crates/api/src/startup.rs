use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpServer};
use migration::{Migrator, MigratorTrait};
use platform_database::{ConnectError, Database, DatabaseOptions, connect_pool};
use platform_outbox::delivery::OutboxRelay;
use platform_outbox::{OutboxPurger, PurgeTask, RelayTask};
use sea_orm::{DatabaseConnection, DbErr};
use shared_kernel_application::BusError;
use tokio::sync::Notify;

use crate::composition::{Composition, compose};
use crate::config::{DatabaseSettings, Settings};
use crate::http::{self, HttpServices, Readiness};
use crate::metrics::{self, MetricsEndpoint, MetricsError};

/// The server, built and bound, ready to run, and the outbox relay and purge that run beside
/// it. Tests build it on port 0 and read `port()`.
pub struct Application {
    server: Server,
    metrics: Option<MetricsEndpoint>,
    readiness: Readiness,
    port: u16,
    database: Database,
    relay: OutboxRelay,
    relay_wake: Arc<Notify>,
    poll_interval: Duration,
    purger: OutboxPurger,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("could not connect to the database")]
    Database(#[source] ConnectError),
    #[error("could not apply the database migrations")]
    Migrations(#[source] DbErr),
    #[error("could not register the message handlers")]
    Bus(#[from] BusError),
    #[error("could not listen on {address}")]
    Listen {
        address: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Metrics(#[from] MetricsError),
}

impl Application {
    /// Connects, migrates, composes the contexts and binds the listener.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        // Before anything registers a metric: a handle taken earlier would record nowhere.
        let recorder = settings.metrics_address.and_then(|_| metrics::install());
        let database = connect_and_migrate(&settings.database).await?;
        let metrics = settings
            .metrics_address
            .map(|address| MetricsEndpoint::bind(address, recorder, database.clone()))
            .transpose()?;
        let Composition {
            bus,
            idempotency,
            contexts,
            app_data,
            relay,
            relay_wake,
            purger,
            ..
        } = compose(&settings, &database)?;
        let readiness = Readiness::new(database.pool.clone());
        let services = HttpServices {
            bus,
            idempotency,
            contexts,
            app_data,
            trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
            readiness: readiness.clone(),
        };

        let address = format!("{}:{}", settings.host, settings.port);
        let listen_error = |source| StartupError::Listen {
            address: address.clone(),
            source,
        };
        let listener = TcpListener::bind(&address).map_err(listen_error)?;
        let port = listener.local_addr().map_err(listen_error)?.port();
        let cors_origins = settings.cors_allowed_origins.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(http::keyed_to_completion))
                .wrap(Condition::new(
                    !cors_origins.is_empty(),
                    http::cors(&cors_origins),
                ))
                // Outermost: every answer, a CORS one included, gets an id and a log line.
                .wrap(from_fn(http::observe))
                .configure(|config| http::configure(config, &services))
        })
        .shutdown_timeout(settings.shutdown_timeout_seconds)
        .listen(listener)
        .map_err(listen_error)?
        .run();

        Ok(Self {
            server,
            metrics,
            readiness,
            port,
            database,
            relay,
            relay_wake,
            poll_interval: settings.outbox.poll_interval,
            purger,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where `/metrics` is served, if it is.
    pub fn metrics_address(&self) -> Option<std::net::SocketAddr> {
        self.metrics.as_ref().map(MetricsEndpoint::address)
    }

    /// The server's sea-orm pool, for tools (and tests) that look at the data directly.
    pub fn database(&self) -> &DatabaseConnection {
        &self.database.pool
    }

    /// Serves, relays events and purges old ones, until the process is asked to stop
    /// (Ctrl-C, SIGTERM); then drains requests and lets the relay and the purge finish the
    /// batch in hand.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let relay = RelayTask::spawn(self.relay, self.poll_interval, self.relay_wake);
        let metrics = self.metrics.map(MetricsEndpoint::spawn);
        let purge = PurgeTask::spawn(self.purger);
        // actix-web hears the same signals and drains; meanwhile `/ready` says 503, so that
        // a load balancer stops sending traffic here.
        let readiness = self.readiness.clone();
        tokio::spawn(async move {
            stop_requested().await;
            readiness.shutting_down();
        });
        let served = self.server.await;
        tokio::join!(relay.stop(), purge.stop());
        if let Some(metrics) = metrics {
            metrics.stop(false).await;
        }
        served
    }
}

/// Resolves when the process is asked to stop: Ctrl-C, or SIGTERM on Unix.
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Opens one pool as `settings` describe: for the database tools.
pub async fn connect_database(
    settings: &DatabaseSettings,
) -> Result<DatabaseConnection, ConnectError> {
    connect_pool(&settings.url, &database_options(settings)).await
}

/// Opens the server's connections (`Database::connect`) and brings the schema up to date.
pub(crate) async fn connect_and_migrate(
    settings: &DatabaseSettings,
) -> Result<Database, StartupError> {
    let database = Database::connect(&settings.url, &database_options(settings))
        .await
        .map_err(StartupError::Database)?;
    Migrator::up(&database.pool, None)
        .await
        .map_err(StartupError::Migrations)?;
    Ok(database)
}

fn database_options(settings: &DatabaseSettings) -> DatabaseOptions {
    DatabaseOptions {
        max_connections: settings.max_connections,
        timeout: settings.timeout,
        queue: settings.queue,
    }
}
