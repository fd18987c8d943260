//! Conditional requests at the edge (RFC 9110 §13): the `If-Match` a write carries, read into
//! the application's `Precondition`; the `If-None-Match` a read carries, answered with a 304;
//! and the `ETag` every answer with a resource carries. The tags themselves are computed by
//! the application (`EntityTag`), from the same views the answers show.

mod if_match;
mod if_none_match;
mod params;
mod tag_list;

use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderName};
use shared_kernel_application::EntityTag;

use crate::{FieldError, Problem};

pub use if_match::IfMatch;
pub use if_none_match::IfNoneMatch;
pub use params::{IfMatchHeader, IfNoneMatchHeader};

/// The `ETag` header naming `tag`, a strong tag: `ETag: "<tag>"`.
pub fn etag(tag: &EntityTag) -> (HeaderName, String) {
    (header::ETAG, format!("\"{tag}\""))
}

/// `304 Not Modified`: the client's copy, whose tag is `tag`, is current. No body; the `ETag`
/// again, as RFC 9110 §15.4.5 asks.
pub fn not_modified(tag: &EntityTag) -> HttpResponse {
    HttpResponse::NotModified()
        .insert_header(etag(tag))
        .finish()
}

/// The 422 of a conditional header whose value is not `*` or a list of entity tags: a
/// malformed parameter, like a malformed path segment or query.
fn malformed_header(name: &str, error: &tag_list::MalformedTagList) -> Problem {
    Problem::unprocessable(vec![FieldError {
        field: name.to_owned(),
        message: error.to_string(),
    }])
}
