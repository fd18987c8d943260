use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Logs to stderr, filtered by `RUST_LOG` (default: `info`, with the database driver's chatter
/// kept to warnings), as `format` says: one JSON object a line for log collectors, or the
/// human format. Safe to call more than once: only the first call installs anything.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
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
}
