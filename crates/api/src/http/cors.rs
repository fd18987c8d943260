//! CORS for browser clients on other origins (`CORS_ALLOWED_ORIGINS`), with actix-cors.

use actix_cors::Cors;
use actix_web::http::header;

use super::observe::REQUEST_ID_HEADER;

/// The CORS policy for `origins` (each `scheme://host[:port]`). A request from any other
/// origin is served as if it had no `Origin`: no CORS headers, and the browser keeps the
/// answer from the page. Preflights are answered by the middleware.
pub fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "PUT", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            // Conditional requests: a browser client sends the ETag it holds.
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            REQUEST_ID_HEADER,
        ])
        // What a client reads of the answers: where a created resource is, when to come
        // back, the limits, the challenge of a 401, the methods of a 405, the request's id, and
        // the entity tag to send back in `If-Match` or `If-None-Match`.
        .expose_headers([
            header::LOCATION,
            header::ETAG,
            header::RETRY_AFTER,
            header::WWW_AUTHENTICATE,
            header::ALLOW,
            header::HeaderName::from_static("ratelimit"),
            header::HeaderName::from_static("ratelimit-policy"),
            REQUEST_ID_HEADER,
        ])
        .max_age(600)
        .block_on_origin_mismatch(false)
}
