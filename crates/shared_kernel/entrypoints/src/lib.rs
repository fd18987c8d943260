//! The HTTP edge every context shares: what a context hands the composition root (`Context`),
//! errors as RFC 9457 problem details, the `CurrentUser` extractor over the shared
//! authentication contract, page parameters and cursors, conditional requests (`ETag`,
//! `If-Match`, `If-None-Match`), idempotent POSTs, and the handlers that turn malformed
//! requests, unknown routes and wrong methods into problem details too.

mod client_address;
mod conditional;
mod context;
mod current_user;
mod extractor_errors;
pub mod idempotency;
mod json_object;
mod openapi;
mod pagination;
mod path_uuid;
mod problem;
mod query_params;
pub mod rfc3339;
mod routing;
pub mod whole_number;

pub use client_address::{ClientAddress, TrustedProxies};
pub use conditional::{IfMatch, IfMatchHeader, IfNoneMatch, IfNoneMatchHeader, etag, not_modified};
pub use context::{AppData, Context};
pub use current_user::{CurrentSession, CurrentUser};
pub use extractor_errors::{form_config, json_config, oauth_form_config, path_config};
pub use json_object::{JsonBody, JsonObject};
pub use openapi::{BEARER_SECURITY_SCHEME, problem_response};
pub use pagination::{
    MalformedCursor, number_cursor, page_params, parse_number_cursor, parse_uuid_cursor,
    uuid_cursor,
};
pub use path_uuid::PathUuid;
pub use problem::{FieldError, Problem, RateLimited};
pub use query_params::{QueryError, QueryParams};
pub use routing::{method_not_allowed, not_found};
