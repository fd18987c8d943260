//! The accounts context's HTTP edge. Routes translate requests into commands (through the
//! message bus) and queries (straight to the read side), and errors into problem details.

mod errors;
mod openapi;
mod rate_limits;
mod routes;
mod schemas;

pub use openapi::AccountsApi;
pub use rate_limits::AddressRateLimits;
pub use routes::configure;
