use std::fmt;
use std::net::IpAddr;

use shared_kernel_domain::UserId;
use uuid::Uuid;

use super::IdempotencyKey;

/// Whose keys these are: the same key from another caller is another key. An authenticated
/// request's keys are its user's; a registration's, its client address's (there is no user
/// yet).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyOwner(String);

impl KeyOwner {
    pub fn user(user: UserId) -> Self {
        Self(format!("user:{}", user.as_uuid()))
    }

    pub fn address(address: IpAddr) -> Self {
        Self(format!("address:{address}"))
    }

    /// The owner as stored: `user:<uuid>` or `address:<ip>`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An owner read back from the store.
    pub fn from_stored(stored: String) -> Self {
        Self(stored)
    }
}

impl fmt::Display for KeyOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a request asks, summed up by the edge (a digest of its method, path and body): two
/// requests under one key must have the same, or the second reused the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFingerprint(String);

impl RequestFingerprint {
    pub fn new(digest: String) -> Self {
        Self(digest)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A request that came with an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedRequest {
    pub owner: KeyOwner,
    pub key: IdempotencyKey,
    pub fingerprint: RequestFingerprint,
}

/// A key this request claimed: `claim` tells its run apart from any later one that takes the
/// key over once the lease has run out, so that only the run holding the claim may answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedKey {
    pub owner: KeyOwner,
    pub key: IdempotencyKey,
    pub claim: Uuid,
}
