//! Prometheus metrics (ADR 0020): the recorder every crate's `metrics::…!` macros record
//! into, the listener on `METRICS_ADDR` that serves them at `/metrics`, and what is measured
//! only when scraped (the outbox's backlog, the pool, the process). docs/operations.md lists
//! every metric.

mod endpoint;
mod recorder;
mod scrape;

pub use endpoint::{MetricsEndpoint, MetricsError};
pub use recorder::install;
