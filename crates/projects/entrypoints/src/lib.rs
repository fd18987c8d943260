//! The projects context's HTTP edge. Every route needs a bearer token (`CurrentUser`) and is
//! scoped to the caller: another user's project answers exactly like one that does not exist.

mod cursor;
mod errors;
mod openapi;
mod routes;
mod schemas;

pub use openapi::ProjectsApi;
pub use routes::configure;
