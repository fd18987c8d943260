//! What every request leaves behind, whatever answers it: an id (`X-Request-Id`, in every log
//! line written while serving it, in its problem body, in the events it records), one
//! access-log line, and the HTTP metrics. One middleware, the outermost, so that even a CORS
//! preflight or an extractor's refusal is counted and named.

mod access_log;
mod http_metrics;
mod problem_request_id;

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use shared_kernel_infrastructure::RequestId;
use tracing::Instrument;

use access_log::AccessLogLine;
use http_metrics::InFlight;

/// The header a request's id travels in, both ways.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The middleware (`actix_web::middleware::from_fn(observe)`).
pub async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = request
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(RequestId::parse)
        .unwrap_or_else(RequestId::generate);
    let started = Instant::now();
    let in_flight = InFlight::start();
    let span = tracing::info_span!("request", request_id = %id);
    // The app turns every error of a handler or an extractor into its response inside this
    // scope, so that its problem body and its log line name the request too. (The request
    // cannot be kept aside to do the same here for an error a middleware might return: the
    // router needs to hold it alone.)
    let response = RequestId::scope(
        Some(id.clone()),
        next.call(request).instrument(span.clone()),
    )
    .await
    .map(ServiceResponse::map_into_boxed_body);
    let response = match response {
        Ok(response) => response,
        Err(error) => {
            span.in_scope(|| {
                tracing::warn!(error = %error, "a middleware failed the request");
            });
            return Err(error);
        }
    };
    drop(in_flight);

    let mut response = problem_request_id::stamp(response, &id);
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    let line = AccessLogLine::of(&response, &id, started.elapsed());
    http_metrics::record(&line);
    span.in_scope(|| line.log());
    Ok(response)
}
