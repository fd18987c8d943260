//! `http_requests_total{method,route,status}`, `http_request_duration_seconds{method,route}`
//! and `http_requests_in_flight` (docs/operations.md).

use std::cell::RefCell;
use std::collections::HashMap;

use metrics::{Counter, Gauge, Histogram};

use super::AccessLogLine;

/// A route's handles, by method and status.
type RouteHandles = HashMap<(&'static str, u16), (Counter, Histogram)>;

thread_local! {
    /// Each worker's handles, by route, then by method and status: found with one lookup
    /// of the route's text, instead of building a labelled key and looking it up in the
    /// recorder's registry for every request (which cost reads about a tenth of their
    /// throughput, docs/benchmarks.md). Routes are templates and statuses few, so it stays
    /// small.
    static HANDLES: RefCell<HashMap<String, RouteHandles>> = RefCell::new(HashMap::new());
    static IN_FLIGHT: Gauge = metrics::gauge!("http_requests_in_flight");
}

/// Counts a request in flight until dropped (a client that goes away drops it too).
pub struct InFlight;

impl InFlight {
    pub fn start() -> Self {
        IN_FLIGHT.with(|gauge| gauge.increment(1.0));
        Self
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.with(|gauge| gauge.decrement(1.0));
    }
}

pub fn record(line: &AccessLogLine<'_>) {
    let method = known_method(line.method);
    let seconds = line.duration.as_secs_f64();
    HANDLES.with_borrow_mut(|routes| {
        let by_status = match routes.get_mut(line.route.as_str()) {
            Some(by_status) => by_status,
            None => routes.entry(line.route.clone()).or_default(),
        };
        let (requests, duration) = by_status
            .entry((method, line.status))
            .or_insert_with(|| handles(method, &line.route, line.status));
        requests.increment(1);
        duration.record(seconds);
    });
}

fn handles(method: &'static str, route: &str, status: u16) -> (Counter, Histogram) {
    (
        metrics::counter!(
            "http_requests_total",
            "method" => method,
            "route" => route.to_owned(),
            "status" => status.to_string(),
        ),
        metrics::histogram!(
            "http_request_duration_seconds",
            "method" => method,
            "route" => route.to_owned(),
        ),
    )
}

/// The method as a label: one of HTTP's own, or `other` (so that a client cannot make new
/// series by inventing methods).
fn known_method(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}
