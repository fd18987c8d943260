//! The activity context's domain: the history of each project, told from the events the
//! projects context publishes (`projects-contracts`), and nothing else. It keeps its own
//! record of each project (whose it is, what it and its tasks are called), so that it can
//! say whose an entry is and write its summary without asking projects.
//!
//! Plain Rust: no database, no web framework, no async runtime.

mod entry;
mod summary;
mod tracked_project;

pub use entry::{Entry, EntryId, EntryKind};
pub use tracked_project::{Change, TrackedProject, TrackedTask};
