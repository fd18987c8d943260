use std::io::{BufWriter, stderr};

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Lines formatted but not yet written, at most: about a MiB. A log sink slower than that
/// holds up the threads that log (as a full pipe would), rather than losing lines.
const BUFFERED_LINES: usize = 4096;

/// Keeps the log writer's thread; dropping it writes out what is still buffered. Hold it for
/// the life of the process.
#[must_use = "dropping it stops the log writer"]
pub struct LogGuard {
    _writer: Option<WorkerGuard>,
}

/// Logs to stderr, filtered by `RUST_LOG` (default: `info`, with the database driver's chatter
/// kept to warnings), as `format` says: one JSON object a line for log collectors, or the
/// human format. Safe to call more than once: only the first call installs anything.
///
/// The lines are written by a thread of their own, through a buffer it flushes whenever it
/// has caught up: a request's access-log line costs the worker that served it a hand-off
/// instead of a `write` to stderr, and under load many lines leave in one `write`.
pub fn init(format: LogFormat) -> LogGuard {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(BUFFERED_LINES)
        .thread_name("log-writer")
        .finish(BufWriter::new(stderr()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let installed = match format {
        // The event's fields at the top level, the request's span (its `request_id`) beside
        // them: a collector indexes both without parsing the message.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
    // A second call installed nothing: its writer has nothing to write.
    LogGuard {
        _writer: installed.is_ok().then_some(guard),
    }
}
