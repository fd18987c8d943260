//! `http_requests_total{method,route,status}`, `http_request_duration_seconds{method,route}`
//! and `http_requests_in_flight` (docs/operations.md).

use super::AccessLogLine;

/// Counts a request in flight until dropped (a client that goes away drops it too).
pub struct InFlight;

impl InFlight {
    pub fn start() -> Self {
        metrics::gauge!("http_requests_in_flight").increment(1.0);
        Self
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        metrics::gauge!("http_requests_in_flight").decrement(1.0);
    }
}

pub fn record(line: &AccessLogLine<'_>) {
    let method = line.method.to_owned();
    metrics::counter!(
        "http_requests_total",
        "method" => method.clone(),
        "route" => line.route.clone(),
        "status" => line.status.to_string(),
    )
    .increment(1);
    metrics::histogram!(
        "http_request_duration_seconds",
        "method" => method,
        "route" => line.route.clone(),
    )
    .record(line.duration.as_secs_f64());
}
