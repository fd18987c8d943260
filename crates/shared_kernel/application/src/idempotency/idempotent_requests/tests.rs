use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, TimeDelta};
use shared_kernel_domain::{FixedClock, UserId};

use super::*;
use crate::idempotency::{
    IdempotencyKey, KeyOwner, KeyState, KeyedAnswer, RequestFingerprint, StoredAnswer,
};
use crate::testing::InMemoryIdempotencyKeys;

/// The command's result: the name it was asked to add.
type Added = String;

struct Fixture {
    keys: InMemoryIdempotencyKeys,
    clock: Arc<FixedClock>,
    requests: IdempotentRequests,
    /// How many times a command ran.
    runs: AtomicUsize,
}

impl Fixture {
    fn new() -> Self {
        let clock = Arc::new(FixedClock::at(DateTime::UNIX_EPOCH + TimeDelta::days(1)));
        let keys = InMemoryIdempotencyKeys::on(clock.clone());
        Self {
            requests: IdempotentRequests::new(Arc::new(keys.clone())),
            keys,
            clock,
            runs: AtomicUsize::new(0),
        }
    }

    fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }

    /// A command that adds `name`: its Unit of Work records the answer and commits.
    async fn add(
        &self,
        keyed: KeyedAnswer<Added>,
        name: &str,
    ) -> Result<Added, Failure<&'static str>> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        let unit_of_work = self.keys.begin();
        let added = name.to_owned();
        keyed
            .record(&added, &unit_of_work)
            .await
            .map_err(|_| Failure::Transient("the answer could not be recorded"))?;
        unit_of_work.commit();
        Ok(added)
    }

    async fn run_add(
        &self,
        request: &KeyedRequest,
        name: &str,
    ) -> Result<Replied<&'static str>, IdempotencyError> {
        self.requests
            .run(request, render(), |keyed| self.add(keyed, name))
            .await
    }
}

/// The answer a result reads as: 201 with the name as its body.
fn render() -> Arc<RenderAnswer<Added>> {
    Arc::new(|added: &Added| Ok(created(added)))
}

fn created(name: &str) -> StoredAnswer {
    StoredAnswer {
        status: 201,
        headers: vec![("location".into(), format!("/things/{name}"))],
        body: name.as_bytes().to_vec(),
    }
}

fn refused() -> StoredAnswer {
    StoredAnswer {
        status: 409,
        headers: vec![("content-type".into(), "application/problem+json".into())],
        body: b"{\"code\":\"full\"}".to_vec(),
    }
}

fn request(owner: &KeyOwner, key: &str, body: &str) -> KeyedRequest {
    KeyedRequest {
        owner: owner.clone(),
        key: IdempotencyKey::parse(key.as_bytes()).unwrap(),
        fingerprint: RequestFingerprint::new(format!("POST /things {body}")),
    }
}

fn fresh(replied: Replied<&'static str>) -> StoredAnswer {
    assert!(replied.unsettled.is_none(), "{:?}", replied.unsettled);
    match replied.reply {
        Reply::Fresh(answer) => answer,
        other => panic!("expected a fresh answer, got {other:?}"),
    }
}

fn replayed(replied: Replied<&'static str>) -> StoredAnswer {
    match replied.reply {
        Reply::Replayed(answer) => answer,
        other => panic!("expected a replay, got {other:?}"),
    }
}

#[tokio::test]
async fn a_repeated_request_gets_the_first_answer_and_runs_once() {
    let fixture = Fixture::new();
    let ada = KeyOwner::user(UserId::new());
    let first = request(&ada, "k1", "milk");

    let answer = fresh(fixture.run_add(&first, "milk").await.unwrap());
    let again = replayed(fixture.run_add(&first, "milk").await.unwrap());

    assert_eq!(answer, created("milk"));
    assert_eq!(again, answer);
    assert_eq!(fixture.runs(), 1);
    assert_eq!(
        fixture.requests.replay(&first).await.unwrap(),
        Some(created("milk"))
    );
}

#[tokio::test]
async fn a_key_used_for_another_request_is_refused_and_another_owners_key_is_another() {
    let fixture = Fixture::new();
    let ada = KeyOwner::user(UserId::new());
    let grace = KeyOwner::user(UserId::new());
    fresh(
        fixture
            .run_add(&request(&ada, "k1", "milk"), "milk")
            .await
            .unwrap(),
    );

    let reused = fixture.run_add(&request(&ada, "k1", "eggs"), "eggs").await;
    let graces = fixture
        .run_add(&request(&grace, "k1", "eggs"), "eggs")
        .await;

    assert!(
        matches!(reused, Err(IdempotencyError::KeyReused)),
        "{reused:?}"
    );
    assert_eq!(fresh(graces.unwrap()), created("eggs"));
    assert!(matches!(
        fixture.requests.replay(&request(&ada, "k1", "eggs")).await,
        Err(IdempotencyError::KeyReused)
    ));
    assert_eq!(fixture.runs(), 2);
}

#[tokio::test]
async fn a_request_whose_first_is_still_running_is_told_so_until_the_lease_runs_out() {
    let fixture = Fixture::new();
    let ada = KeyOwner::user(UserId::new());
    let milk = request(&ada, "k1", "milk");
    // The first run's process dies: its command never commits, its key is never settled.
    let Claim::Claimed(_) = fixture.keys.claim(&milk).await.unwrap() else {
        panic!("the key is free");
    };

    let meanwhile = fixture.run_add(&milk, "milk").await;
    assert!(
        matches!(meanwhile, Err(IdempotencyError::InProgress)),
        "{meanwhile:?}"
    );
    assert!(matches!(
        fixture.requests.replay(&milk).await,
        Err(IdempotencyError::InProgress)
    ));

    fixture.clock.advance(TimeDelta::seconds(30));
    assert_eq!(
        fresh(fixture.run_add(&milk, "milk").await.unwrap()),
        created("milk")
    );
    assert_eq!(fixture.runs(), 1);
}

#[tokio::test]
async fn a_refusal_is_kept_and_replayed_without_running_again() {
    let fixture = Fixture::new();
    let ada = KeyOwner::user(UserId::new());
    let milk = request(&ada, "k1", "milk");
    let refuse = |_: KeyedAnswer<Added>| async {
        fixture.runs.fetch_add(1, Ordering::SeqCst);
        Err::<Added, _>(Failure::<&'static str>::Refused(refused()))
    };

    let first = fresh(fixture.requests.run(&milk, render(), refuse).await.unwrap());
    // The project has room now, but the retry is the same request: it gets the same answer.
    let again = replayed(fixture.run_add(&milk, "milk").await.unwrap());

    assert_eq!(first, refused());
    assert_eq!(again, refused());
    assert_eq!(fixture.runs(), 1);
}

#[tokio::test]
async fn a_failure_frees_the_key_for_a_retry() {
    let fixture = Fixture::new();
    let ada = KeyOwner::user(UserId::new());
    let milk = request(&ada, "k1", "milk");
    let fail = |_: KeyedAnswer<Added>| async {
        fixture.runs.fetch_add(1, Ordering::SeqCst);
        Err::<Added, _>(Failure::Transient("the database is down"))
    };

    let failed = fixture.requests.run(&milk, render(), fail).await.unwrap();
    assert!(matches!(
        failed.reply,
        Reply::Transient("the database is down")
    ));
    assert!(failed.unsettled.is_none());
    assert_eq!(fixture.keys.record(&milk.owner, &milk.key), None);

    assert_eq!(
        fresh(fixture.run_add(&milk, "milk").await.unwrap()),
        created("milk")
    );
    assert_eq!(fixture.runs(), 2);
}

#[tokio::test]
async fn an_answer_that_could_not_be_kept_is_still_given_and_the_key_frees_itself() {
    let fixture = Fixture::new();
    let ada = KeyOwner::user(UserId::new());
    let milk = request(&ada, "k1", "milk");
    fixture.keys.fail_writes(true);
    let refuse = |_: KeyedAnswer<Added>| async {
        Err::<Added, _>(Failure::<&'static str>::Refused(refused()))
    };

    let replied = fixture.requests.run(&milk, render(), refuse).await.unwrap();

    assert!(matches!(&replied.reply, Reply::Fresh(answer) if *answer == refused()));
    assert!(replied.unsettled.is_some());
    fixture.keys.fail_writes(false);
    fixture.clock.advance(TimeDelta::seconds(30));
    assert_eq!(
        fresh(fixture.run_add(&milk, "milk").await.unwrap()),
        created("milk")
    );
}

#[tokio::test]
async fn a_command_that_committed_without_recording_has_its_answer_kept_and_reported() {
    let fixture = Fixture::new();
    let ada = KeyOwner::user(UserId::new());
    let milk = request(&ada, "k1", "milk");
    let forgetful =
        |_: KeyedAnswer<Added>| async { Ok::<_, Failure<&'static str>>("milk".to_owned()) };

    let replied = fixture
        .requests
        .run(&milk, render(), forgetful)
        .await
        .unwrap();

    assert!(matches!(&replied.reply, Reply::Fresh(answer) if *answer == created("milk")));
    assert!(replied.unsettled.is_some());
    assert_eq!(
        replayed(fixture.run_add(&milk, "milk").await.unwrap()),
        created("milk")
    );
}

#[tokio::test]
async fn a_run_whose_claim_was_taken_over_commits_nothing() {
    let fixture = Fixture::new();
    let ada = KeyOwner::user(UserId::new());
    let milk = request(&ada, "k1", "milk");
    let slow = |keyed: KeyedAnswer<Added>| async {
        // The lease runs out while the command runs, and a retry takes the key over.
        fixture.clock.advance(TimeDelta::seconds(31));
        let retry = fixture.run_add(&milk, "milk").await.unwrap();
        assert_eq!(fresh(retry), created("milk"));
        fixture.add(keyed, "milk").await
    };

    let late = fixture.requests.run(&milk, render(), slow).await.unwrap();

    assert!(matches!(late.reply, Reply::Transient(_)), "{late:?}");
    let record = fixture.keys.record(&milk.owner, &milk.key).unwrap();
    assert_eq!(record.state, KeyState::Answered(created("milk")));
}

#[tokio::test]
async fn an_expired_key_is_free_for_another_request() {
    let fixture = Fixture::new();
    let ada = KeyOwner::user(UserId::new());
    fresh(
        fixture
            .run_add(&request(&ada, "k1", "milk"), "milk")
            .await
            .unwrap(),
    );

    fixture.clock.advance(TimeDelta::hours(24));

    let eggs = request(&ada, "k1", "eggs");
    assert_eq!(fixture.requests.replay(&eggs).await.unwrap(), None);
    assert_eq!(
        fresh(fixture.run_add(&eggs, "eggs").await.unwrap()),
        created("eggs")
    );
}
