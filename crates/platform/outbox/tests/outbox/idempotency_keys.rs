//! `SeaOrmIdempotencyKeys` and `SeaOrmIdempotentAnswers` against real databases, on a clock the
//! test moves: claims, answers that commit (or roll back) with a Unit of Work, refusals kept
//! alone, releases, lapsed claims, expiry, racing claims and the purge of expired keys.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use platform_database::testing::{Backend, Postgres, Sqlite};
use platform_outbox::{
    IdempotencySettings, OutboxPurger, PurgeSchedule, PurgedTable, SeaOrmIdempotencyKeys,
    SeaOrmIdempotentAnswers,
};
use rstest::rstest;
use shared_kernel_application::idempotency::{
    Claim, ClaimedKey, IdempotencyKey, IdempotencyKeys, IdempotentAnswers, KeyOwner, KeyedRequest,
    RequestFingerprint, Sighting, StoredAnswer,
};
use shared_kernel_domain::{Clock, FixedClock, UserId};
use tokio::sync::Barrier;

use crate::support::{Fixture, TestPublisher};

const TTL: Duration = Duration::from_secs(3600);
const LEASE: Duration = Duration::from_secs(30);

struct Keys {
    outbox: Fixture,
    clock: Arc<FixedClock>,
    keys: Arc<SeaOrmIdempotencyKeys>,
}

async fn keys(backend: Backend) -> Keys {
    let outbox = Fixture::on(backend, TestPublisher::without_handlers()).await;
    let clock = Arc::new(FixedClock::at(start()));
    let keys = Arc::new(SeaOrmIdempotencyKeys::new(
        outbox.transactions.clone(),
        outbox.queries.clone(),
        clock.clone(),
        IdempotencySettings {
            key_ttl: TTL,
            claim_lease: LEASE,
        },
    ));
    Keys {
        outbox,
        clock,
        keys,
    }
}

fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

fn request(owner: &KeyOwner, key: &str, body: &str) -> KeyedRequest {
    KeyedRequest {
        owner: owner.clone(),
        key: IdempotencyKey::parse(key.as_bytes()).unwrap(),
        fingerprint: RequestFingerprint::new(format!("{body:0>64}")),
    }
}

/// An answer with every part a stored answer has, its body not valid UTF-8.
fn created() -> StoredAnswer {
    StoredAnswer {
        status: 201,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("location".into(), "/api/projects/1/tasks/1".into()),
            ("etag".into(), "\"v1\"".into()),
        ],
        body: vec![b'{', 0xff, 0x00, b'}'],
    }
}

fn refused() -> StoredAnswer {
    StoredAnswer {
        status: 409,
        headers: vec![("content-type".into(), "application/problem+json".into())],
        body: br#"{"code":"too_many_incomplete_tasks"}"#.to_vec(),
    }
}

impl Keys {
    async fn claim(&self, request: &KeyedRequest) -> ClaimedKey {
        match self.keys.claim(request).await.unwrap() {
            Claim::Claimed(claimed) => claimed,
            taken => panic!("expected the key to be free, found {taken:?}"),
        }
    }

    async fn taken(&self, request: &KeyedRequest) -> Sighting {
        match self.keys.claim(request).await.unwrap() {
            Claim::Taken(sighting) => {
                assert_eq!(self.keys.look_up(request).await.unwrap(), sighting);
                sighting
            }
            Claim::Claimed(claimed) => panic!("expected the key to be taken, claimed {claimed:?}"),
        }
    }

    /// Records `answer` under `key` in a Unit of Work, which commits or not.
    async fn record(
        &self,
        key: &ClaimedKey,
        answer: &StoredAnswer,
        commit: bool,
    ) -> Result<(), shared_kernel_application::InfrastructureError> {
        let scope = self.outbox.begin().await;
        let answers = SeaOrmIdempotentAnswers::new(scope.participant());
        let recorded = answers.record(key, answer).await;
        drop(answers);
        if commit && recorded.is_ok() {
            scope.commit().await.unwrap();
        }
        recorded
    }
}

#[rstest]
#[tokio::test]
async fn a_claimed_key_is_running_for_the_same_request_and_reused_for_another(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let keys = keys(backend).await;
    let ada = KeyOwner::user(UserId::new());
    let milk = request(&ada, "k1", "milk");
    assert_eq!(keys.keys.look_up(&milk).await.unwrap(), Sighting::Free);

    keys.claim(&milk).await;

    assert_eq!(keys.taken(&milk).await, Sighting::Running);
    assert_eq!(
        keys.taken(&request(&ada, "k1", "eggs")).await,
        Sighting::Reused
    );
    let grace = KeyOwner::user(UserId::new());
    keys.claim(&request(&grace, "k1", "eggs")).await;
    keys.claim(&request(&ada, "k2", "eggs")).await;
    let address = KeyOwner::address("2001:db8::1".parse().unwrap());
    keys.claim(&request(&address, &"~".repeat(255), "eggs"))
        .await;
}

#[rstest]
#[tokio::test]
async fn an_answer_commits_with_its_unit_of_work_and_is_replayed_as_it_was(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let keys = keys(backend).await;
    let ada = KeyOwner::user(UserId::new());
    let milk = request(&ada, "k1", "milk");
    let claimed = keys.claim(&milk).await;

    keys.record(&claimed, &created(), true).await.unwrap();

    assert_eq!(keys.taken(&milk).await, Sighting::Answered(created()));
    assert_eq!(
        keys.taken(&request(&ada, "k1", "eggs")).await,
        Sighting::Reused
    );
}

#[rstest]
#[tokio::test]
async fn an_answer_rolled_back_with_its_unit_of_work_leaves_the_key_running(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let keys = keys(backend).await;
    let milk = request(&KeyOwner::user(UserId::new()), "k1", "milk");
    let claimed = keys.claim(&milk).await;

    keys.record(&claimed, &created(), false).await.unwrap();

    assert_eq!(keys.taken(&milk).await, Sighting::Running);
}

#[rstest]
#[tokio::test]
async fn a_refusal_kept_alone_is_replayed_and_a_released_key_is_free(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let keys = keys(backend).await;
    let ada = KeyOwner::user(UserId::new());
    let refused_request = request(&ada, "k1", "milk");
    let failed_request = request(&ada, "k2", "milk");
    let refusal = keys.claim(&refused_request).await;
    let failure = keys.claim(&failed_request).await;

    keys.keys.keep(&refusal, &refused()).await.unwrap();
    keys.keys.release(&failure).await.unwrap();

    assert_eq!(
        keys.taken(&refused_request).await,
        Sighting::Answered(refused())
    );
    keys.claim(&failed_request).await;
    // An answered key is not released by a late failure of the same claim.
    keys.keys.release(&refusal).await.unwrap();
    assert_eq!(
        keys.taken(&refused_request).await,
        Sighting::Answered(refused())
    );
}

#[rstest]
#[tokio::test]
async fn a_lapsed_claim_is_taken_over_and_its_own_run_can_no_longer_answer(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let keys = keys(backend).await;
    let milk = request(&KeyOwner::user(UserId::new()), "k1", "milk");
    let crashed = keys.claim(&milk).await;
    keys.clock.advance(TimeDelta::seconds(29));
    assert_eq!(keys.taken(&milk).await, Sighting::Running);

    keys.clock.advance(TimeDelta::seconds(1));
    let retry = keys.claim(&milk).await;

    assert_ne!(retry.claim, crashed.claim);
    assert!(keys.record(&crashed, &created(), true).await.is_err());
    keys.keys.keep(&crashed, &refused()).await.unwrap();
    keys.keys.release(&crashed).await.unwrap();
    assert_eq!(keys.taken(&milk).await, Sighting::Running);
    keys.record(&retry, &created(), true).await.unwrap();
    assert_eq!(keys.taken(&milk).await, Sighting::Answered(created()));
}

#[rstest]
#[tokio::test]
async fn an_expired_key_is_free_for_another_request(#[values(Sqlite, Postgres)] backend: Backend) {
    let keys = keys(backend).await;
    let ada = KeyOwner::user(UserId::new());
    let milk = request(&ada, "k1", "milk");
    let claimed = keys.claim(&milk).await;
    keys.keys.keep(&claimed, &created()).await.unwrap();

    keys.clock.advance(TimeDelta::hours(1));

    let eggs = request(&ada, "k1", "eggs");
    assert_eq!(keys.keys.look_up(&eggs).await.unwrap(), Sighting::Free);
    keys.claim(&eggs).await;
    assert_eq!(keys.taken(&milk).await, Sighting::Reused);
}

#[rstest]
#[tokio::test]
async fn racing_claims_of_one_key_claim_it_once(#[values(Sqlite, Postgres)] backend: Backend) {
    let keys = keys(backend).await;
    let milk = request(&KeyOwner::user(UserId::new()), "k1", "milk");
    let racers = 12;
    let barrier = Arc::new(Barrier::new(racers));

    let mut racing = tokio::task::JoinSet::new();
    for _ in 0..racers {
        let (keys, milk, barrier) = (keys.keys.clone(), milk.clone(), barrier.clone());
        racing.spawn(async move {
            barrier.wait().await;
            keys.claim(&milk).await.unwrap()
        });
    }

    let claims: Vec<Claim> = racing.join_all().await;
    let claimed = claims
        .iter()
        .filter(|claim| matches!(claim, Claim::Claimed(_)))
        .count();
    assert_eq!(claimed, 1, "{claims:?}");
    assert!(
        claims
            .iter()
            .all(|claim| matches!(claim, Claim::Claimed(_) | Claim::Taken(Sighting::Running))),
        "{claims:?}"
    );
}

#[rstest]
#[tokio::test]
async fn the_purge_deletes_expired_keys_even_when_events_are_kept_for_ever(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let keys = keys(backend).await;
    let ada = KeyOwner::user(UserId::new());
    let answered = keys.claim(&request(&ada, "answered", "milk")).await;
    keys.keys.keep(&answered, &created()).await.unwrap();
    keys.claim(&request(&ada, "crashed", "milk")).await;
    keys.clock.advance(TimeDelta::minutes(30));
    let younger = request(&ada, "younger", "milk");
    let younger_claim = keys.claim(&younger).await;
    keys.keys.keep(&younger_claim, &created()).await.unwrap();
    let purger = OutboxPurger::new(
        keys.outbox.transactions.clone(),
        keys.clock.clone(),
        None,
        PurgeSchedule {
            batch_size: 1,
            pause: Duration::ZERO,
            every: Duration::from_secs(3600),
        },
    );

    keys.clock.advance(TimeDelta::minutes(30));
    let report = purger.purge(|| true).await.unwrap();

    assert_eq!(
        (report.outbox, report.inbox, report.idempotency_keys),
        (0, 0, 2)
    );
    assert_eq!(
        purger
            .purge_batch(PurgedTable::IdempotencyKeys, keys.clock.now())
            .await
            .unwrap(),
        0
    );
    assert_eq!(keys.taken(&younger).await, Sighting::Answered(created()));
}
