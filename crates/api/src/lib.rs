//! The composition root. Everything that knows about every context lives here, and only
//! here: configuration, the database connection, the message bus with each context's
//! handlers, the HTTP server with each context's routes, and the command line.

pub mod cli;
mod composition;
pub mod config;
mod contexts;
mod http;
pub mod metrics;
pub mod outbox_cli;
pub mod seed;
mod startup;
pub mod telemetry;

pub use startup::{Application, StartupError, connect_database};
