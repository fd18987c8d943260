//! The id of the request being served, wherever its work runs: on the async worker that
//! received it, on the SQLite writer's thread that runs its command, in the outbox row of an
//! event it recorded, and in the handlers that event reaches later.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

tokio::task_local! {
    static CURRENT: RequestId;
}

/// A request's id: the client's `X-Request-Id` when it is well formed, a new UUIDv7 otherwise.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RequestId(Arc<str>);

impl RequestId {
    /// The longest id a client may send.
    pub const MAX_LEN: usize = 64;

    /// `value` as an id if it is 1 to 64 characters of `[A-Za-z0-9._-]`: safe to echo in a
    /// header and to write in a log line as it is.
    pub fn parse(value: &str) -> Option<Self> {
        let well_formed = !value.is_empty()
            && value.len() <= Self::MAX_LEN
            && value
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'));
        well_formed.then(|| Self(value.into()))
    }

    /// A new id, a UUIDv7: ids sort by the time they were made.
    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7().to_string().into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id of the request whose work runs on this task, if any.
    pub fn current() -> Option<Self> {
        CURRENT.try_with(Clone::clone).ok()
    }

    /// Runs `work` as work for the request `id` (`current` says `id` inside it); with `None`,
    /// as work for no request.
    pub async fn scope<F: Future>(id: Option<Self>, work: F) -> F::Output {
        match id {
            Some(id) => CURRENT.scope(id, work).await,
            None => work.await,
        }
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RequestId({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_short_ids_of_safe_characters_only() {
        for good in ["a", "req-42", "A.b_c-D", &"x".repeat(64)] {
            assert_eq!(
                RequestId::parse(good).map(|id| id.to_string()),
                Some(good.to_owned())
            );
        }
        for bad in [
            "",
            &"x".repeat(65),
            "two words",
            "a/b",
            "é",
            "a\nb",
            "id;drop",
        ] {
            assert_eq!(RequestId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_generated_id_is_a_uuid_and_a_valid_id() {
        let id = RequestId::generate();
        assert!(uuid::Uuid::parse_str(id.as_str()).is_ok());
        assert_eq!(RequestId::parse(id.as_str()), Some(id));
    }

    #[tokio::test]
    async fn the_current_id_is_the_one_of_the_scope_it_runs_in() {
        assert_eq!(RequestId::current(), None);
        let id = RequestId::parse("outer").unwrap();
        let seen = RequestId::scope(Some(id.clone()), async {
            tokio::task::yield_now().await;
            RequestId::current()
        })
        .await;
        assert_eq!(seen, Some(id));
        assert_eq!(
            RequestId::scope(None, async { RequestId::current() }).await,
            None
        );
    }
}
