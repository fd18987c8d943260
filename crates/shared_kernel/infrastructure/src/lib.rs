//! Adapters any context's infrastructure may build on: the system clock, and a few threads of
//! our own that run blocking jobs (a SQLite connection's work, a password hash) handed to them
//! from async code, so that the async workers never block.
//!
//! The database machinery is not here: it lives in the platform crates
//! (`crates/platform/database`, `crates/platform/outbox`, ADR 0015).

mod clock;
mod job_threads;
mod queue_limits;
mod request_id;

pub use clock::SystemClock;
pub use job_threads::{JobError, JobThreads};
pub use queue_limits::{QueueLimits, QueueRefusal, StartGate};
pub use request_id::RequestId;
