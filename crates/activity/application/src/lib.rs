//! The activity context's application layer: one event handler that writes an entry for
//! every projects event it hears (`RecordActivity`), the query port its routes read through,
//! and the ports its infrastructure implements.
//!
//! It imports nothing of the projects context but its published language,
//! `projects-contracts`.

mod bootstrap;
pub mod ports;
mod read_models;
mod record_activity;

#[cfg(test)]
mod testing;

pub use bootstrap::{ActivityPorts, register};
pub use read_models::EntryView;
pub use record_activity::RecordActivity;
