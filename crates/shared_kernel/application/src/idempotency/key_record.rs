use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{RequestFingerprint, StoredAnswer};

/// What the store holds for one owner's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    /// What the request that claimed the key asked.
    pub fingerprint: RequestFingerprint,
    pub state: KeyState,
    /// The end of the key's time to live: after it, the key is free again (and the purge
    /// deletes it).
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// A request holds the key and has not answered yet. Its claim lapses at `lease_until`:
    /// by then the request has answered, or its process has died.
    Running {
        claim: Uuid,
        lease_until: DateTime<Utc>,
    },
    /// The request answered this, and every repetition of it gets it again.
    Answered(StoredAnswer),
}

/// What a request with a key finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sighting {
    /// Nothing holds the key: never seen, expired, or left behind by a run whose lease ran
    /// out. The request may claim it.
    Free,
    /// The same request was answered: its answer, to replay.
    Answered(StoredAnswer),
    /// The same request is running.
    Running,
    /// The key belongs to another request (another method, path or body).
    Reused,
}

impl KeyRecord {
    /// What a request asking `fingerprint` finds here at `now`.
    pub fn seen_by(&self, fingerprint: &RequestFingerprint, now: DateTime<Utc>) -> Sighting {
        if self.expires_at <= now {
            return Sighting::Free;
        }
        match &self.state {
            KeyState::Running { lease_until, .. } if *lease_until <= now => Sighting::Free,
            _ if self.fingerprint != *fingerprint => Sighting::Reused,
            KeyState::Running { .. } => Sighting::Running,
            KeyState::Answered(answer) => Sighting::Answered(answer.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    fn at(second: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + TimeDelta::seconds(second)
    }

    fn asking(body: &str) -> RequestFingerprint {
        RequestFingerprint::new(body.into())
    }

    fn answer() -> StoredAnswer {
        StoredAnswer {
            status: 201,
            headers: vec![("location".into(), "/api/projects/1".into())],
            body: b"{}".to_vec(),
        }
    }

    fn answered(expires_at: DateTime<Utc>) -> KeyRecord {
        KeyRecord {
            fingerprint: asking("a"),
            state: KeyState::Answered(answer()),
            expires_at,
        }
    }

    fn running(lease_until: DateTime<Utc>) -> KeyRecord {
        KeyRecord {
            fingerprint: asking("a"),
            state: KeyState::Running {
                claim: Uuid::nil(),
                lease_until,
            },
            expires_at: at(1000),
        }
    }

    #[test]
    fn the_same_request_gets_the_answer_again_and_another_is_a_reuse() {
        let record = answered(at(1000));
        assert_eq!(
            record.seen_by(&asking("a"), at(10)),
            Sighting::Answered(answer())
        );
        assert_eq!(record.seen_by(&asking("b"), at(10)), Sighting::Reused);
    }

    #[test]
    fn a_running_request_holds_its_key_until_its_lease_runs_out() {
        let record = running(at(30));
        assert_eq!(record.seen_by(&asking("a"), at(29)), Sighting::Running);
        assert_eq!(record.seen_by(&asking("b"), at(29)), Sighting::Reused);
        assert_eq!(record.seen_by(&asking("a"), at(30)), Sighting::Free);
        assert_eq!(record.seen_by(&asking("b"), at(30)), Sighting::Free);
    }

    #[test]
    fn an_expired_key_is_free_for_any_request() {
        let record = answered(at(1000));
        assert_eq!(record.seen_by(&asking("a"), at(1000)), Sighting::Free);
        assert_eq!(record.seen_by(&asking("b"), at(2000)), Sighting::Free);
    }
}
