//! Adapters that implement the activity context's ports with sea-orm: the repositories of its
//! project records and entries (tables `activity_*`) and the read side that pages through the
//! entries. The context records no events of its own, so it has no event schemas.

mod adapters;
mod persistence;

pub use adapters::{ActivityAdapters, adapters};
pub use persistence::{SeaOrmActivityQueries, SeaOrmActivityUnitOfWorkFactory, insert_records};

use shared_kernel_application::EventCodecs;

/// Registers the schemas of the activity context's events: it records none.
pub fn register_event_schemas(_codecs: &mut EventCodecs) {}
