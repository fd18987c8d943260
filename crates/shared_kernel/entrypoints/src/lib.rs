//! The HTTP edge every context shares: errors as RFC 9457 problem details, the `CurrentUser`
//! extractor over the shared authentication contract, and the handlers that turn malformed
//! requests, unknown routes and wrong methods into problem details too.

mod current_user;
mod extractor_errors;
mod openapi;
mod problem;
mod routing;

pub use current_user::CurrentUser;
pub use extractor_errors::{form_config, json_config, path_config, query_config};
pub use openapi::BEARER_SECURITY_SCHEME;
pub use problem::{FieldError, Problem};
pub use routing::{method_not_allowed, not_found};
