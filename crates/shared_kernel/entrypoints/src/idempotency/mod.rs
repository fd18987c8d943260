//! Idempotent POSTs at the HTTP edge: the `Idempotency-Key` header, what a keyed request asks
//! (its fingerprint), answers kept as plain data and given back with `Idempotent-Replayed:
//! true`, and the OpenAPI description of all of it. The rules live in the shared kernel's
//! application layer (`shared_kernel_application::idempotency`).

mod fingerprint;
mod idempotent_json;
mod openapi;
mod respond;
mod stored_response;

pub use idempotent_json::{IdempotentJson, RequestKey};
pub use openapi::IdempotentPosts;
pub use respond::{replay_if_answered, respond_idempotently};

use actix_web::http::header::HeaderName;

/// The request header that carries the key.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// The response header that marks an answer given again.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
