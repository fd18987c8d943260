//! Idempotent requests (the IETF httpapi `Idempotency-Key` draft, as Stripe practises it): a
//! client that sends a key with a request it may retry gets the first answer again, and the
//! request runs once.
//!
//! The pieces, in the order a keyed request meets them:
//!
//! 1. The edge reads the key (`IdempotencyKey`) and sums up what the request asks
//!    (`RequestFingerprint`: method, path and body), and names whose key it is (`KeyOwner`):
//!    a `KeyedRequest`.
//! 2. `IdempotentRequests::run` claims the key in a short transaction of its own
//!    (`IdempotencyKeys::claim`). A key already answered replays its answer; one still
//!    running, or used for another request, is refused (`IdempotencyError`). A claim holds a
//!    lease, so that the key of a request whose process died frees itself.
//! 3. The command runs with a `KeyedAnswer`: the claimed key, and how its result reads as the
//!    answer. Its handler records that answer through its Unit of Work
//!    (`IdempotentAnswers`), in the same transaction as its own writes, so that a crash can
//!    never leave the change without the answer or the answer without the change.
//! 4. A command refused before anything committed (a 4xx) has its answer kept in a
//!    transaction of its own; a failure (a 5xx) releases the key, so that a retry runs again.
//!
//! HTTP stays at the edge: an answer is plain data (`StoredAnswer`) that the edge produced and
//! will give back.

mod idempotent_requests;
mod key;
mod key_record;
mod keyed_answer;
mod keyed_request;
mod ports;
mod stored_answer;

pub use idempotent_requests::{Failure, IdempotencyError, IdempotentRequests, Replied, Reply};
pub use key::{IdempotencyKey, IdempotencyKeyError};
pub use key_record::{KeyRecord, KeyState, Sighting};
pub use keyed_answer::{KeyedAnswer, RenderAnswer};
pub use keyed_request::{ClaimedKey, KeyOwner, KeyedRequest, RequestFingerprint};
pub use ports::{Claim, IdempotencyKeys, IdempotentAnswers};
pub use stored_answer::StoredAnswer;
