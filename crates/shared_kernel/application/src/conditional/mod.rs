//! Conditional writes (RFC 9110 §13): a resource's strong entity tag, a digest of what a
//! client sees of it, and the precondition a write may carry, checked by the command handler
//! inside its Unit of Work (docs/decisions/0022-entity-tags-from-the-views.md).

mod entity_tag;
mod fingerprint;
mod precondition;

pub use entity_tag::EntityTag;
pub use fingerprint::{Fingerprint, FingerprintField};
pub use precondition::{Precondition, PreconditionFailed};
