//! The activity context's HTTP edge. Every route needs a bearer token (`CurrentUser`) and is
//! scoped to the caller: another user's project answers exactly like one that does not exist,
//! with the same problem the projects routes give.

mod openapi;
mod routes;
mod schemas;

pub use openapi::ActivityApi;
pub use routes::configure;
