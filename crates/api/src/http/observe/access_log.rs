use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use shared_kernel_application::Authenticated;
use shared_kernel_infrastructure::RequestId;

/// What the access log says of one request.
pub struct AccessLogLine<'a> {
    pub method: &'a str,
    /// The route's template (`/api/projects/{id}/tasks`), never the raw path: the raw path
    /// would put ids in every line's key and every metric's labels.
    pub route: String,
    pub status: u16,
    pub duration: Duration,
    pub request_id: &'a RequestId,
    pub user_id: Option<String>,
    /// The response body's size; 0 for a streamed body.
    pub bytes: u64,
}

/// The route of a request no route matched (a 404, a CORS preflight of an unknown path).
const UNMATCHED: &str = "unmatched";

impl<'a> AccessLogLine<'a> {
    pub fn of(
        response: &'a ServiceResponse<BoxBody>,
        request_id: &'a RequestId,
        duration: Duration,
    ) -> Self {
        let request = response.request();
        let bytes = match response.response().body().size() {
            BodySize::Sized(bytes) => bytes,
            BodySize::None | BodySize::Stream => 0,
        };
        Self {
            method: request.method().as_str(),
            route: request
                .match_pattern()
                .unwrap_or_else(|| UNMATCHED.to_owned()),
            status: response.status().as_u16(),
            duration,
            request_id,
            // Set by the `CurrentUser` extractor once the token checked out.
            user_id: request
                .extensions()
                .get::<Authenticated>()
                .map(|caller| caller.user_id.to_string()),
            bytes,
        }
    }

    /// One line at info, target `access`.
    pub fn log(&self) {
        tracing::info!(
            target: "access",
            method = self.method,
            route = self.route,
            status = self.status,
            duration_ms = self.duration.as_secs_f64() * 1000.0,
            request_id = self.request_id.as_str(),
            user_id = self.user_id,
            bytes = self.bytes,
            "request served"
        );
    }
}
