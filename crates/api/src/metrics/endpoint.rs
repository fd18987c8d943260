use std::net::{SocketAddr, TcpListener};

use actix_web::dev::{Server, ServerHandle};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{App, HttpResponse, HttpServer, web};
use metrics_exporter_prometheus::PrometheusHandle;
use platform_database::Database;

use super::scrape;

/// The metrics listener: `GET /metrics` on its own address (`METRICS_ADDR`), apart from the
/// API, so that it can stay on a private interface while the API faces the world.
pub struct MetricsEndpoint {
    server: Server,
    address: SocketAddr,
}

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("could not listen on {address} for the metrics (METRICS_ADDR; empty turns them off)")]
    Listen {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("another metrics recorder is installed in this process")]
    Recorder,
}

/// What a scrape reads.
struct Scrape {
    handle: PrometheusHandle,
    database: Database,
    process: metrics_process::Collector,
}

impl MetricsEndpoint {
    /// Binds `address` and builds the server (not yet running), rendering `handle`'s metrics.
    pub fn bind(
        address: SocketAddr,
        handle: Option<&'static PrometheusHandle>,
        database: Database,
    ) -> Result<Self, MetricsError> {
        let handle = handle.ok_or(MetricsError::Recorder)?.clone();
        let listen_error = |source| MetricsError::Listen { address, source };
        let listener = TcpListener::bind(address).map_err(listen_error)?;
        let address = listener.local_addr().map_err(listen_error)?;
        let process = metrics_process::Collector::default();
        process.describe();
        let scrape = web::Data::new(Scrape {
            handle,
            database,
            process,
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(scrape.clone())
                .route("/metrics", web::get().to(render))
        })
        // Scrapes come seconds apart: one worker, off the API's.
        .workers(1)
        .disable_signals()
        .listen(listener)
        .map_err(listen_error)?
        .run();
        Ok(Self { server, address })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Starts serving; the handle stops it.
    pub fn spawn(self) -> ServerHandle {
        let handle = self.server.handle();
        tokio::spawn(self.server);
        handle
    }
}

/// The text exposition format, version 0.0.4.
async fn render(scrape: web::Data<Scrape>) -> HttpResponse {
    scrape::measure(&scrape.database, &scrape.process).await;
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"))
        .body(scrape.handle.render())
}
