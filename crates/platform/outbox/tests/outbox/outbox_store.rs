//! `SeaOrmOutboxStore` through the `OutboxStore` port: which events are due, and what each
//! settlement writes.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use platform_database::testing::{Backend, Postgres, Sqlite};
use platform_outbox::delivery::{OutboxStore, PendingEvent, Settlement};
use rstest::rstest;
use sea_orm::sea_query::{Expr, ExprTrait, LockType, Query};
use sea_orm::{ConnectionTrait, TransactionTrait};
use shared_kernel_application::EventId;
use tokio::sync::Barrier;
use uuid::Uuid;

use crate::support::{
    EVENT_TYPE, Fixture, Given, LEASE, TestPublisher, ids, millis, next_event_of, now, seconds,
    user_created, user_registered,
};

fn lease() -> TimeDelta {
    TimeDelta::from_std(LEASE).unwrap()
}

async fn fixture(backend: Backend) -> Fixture {
    Fixture::on(backend, TestPublisher::handling()).await
}

/// One event, pending since `at`, and the claim on it.
async fn claimed_event(outbox: &Fixture, at: DateTime<Utc>, given: Given) -> PendingEvent {
    let id = outbox.given(&user_created(), given).await;
    let claimed = outbox.claim(at, 10).await;
    assert_eq!(ids(&claimed), vec![id]);
    claimed.into_iter().next().unwrap()
}

#[rstest]
#[tokio::test]
async fn due_events_are_claimed_oldest_first_up_to_the_limit(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let at = now();
    let events = [user_created(), user_created(), user_created()];
    let given = [
        outbox
            .given(&events[0], Given::pending(at - seconds(1)).attempts(3))
            .await,
        // Due for longer, but recorded later.
        outbox
            .given(&events[1], Given::pending(at - seconds(60)))
            .await,
        outbox.given(&events[2], Given::pending(at)).await,
    ];

    let first = outbox.claim(at, 2).await;

    assert_eq!(ids(&first), given[..2]);
    for (claimed, event) in first.iter().zip(&events) {
        assert_eq!(user_registered(claimed), *event);
        assert_eq!(claimed.aggregate_id, event.user_id.as_uuid());
        assert_eq!(claimed.event_type, EVENT_TYPE);
        assert_eq!(claimed.claim, first[0].claim, "one claim per batch");
        let row = outbox.row(claimed.id).await;
        assert_eq!(row.status, "pending");
        assert_eq!(row.claimed_by, Some(claimed.claim));
        assert_eq!(row.available_at, millis(at + lease()));
    }
    assert_eq!(first[0].attempts, 3);
    assert_eq!(first[1].attempts, 0);
    assert_eq!(ids(&outbox.claim(at, 2).await), given[2..]);
    assert!(outbox.claim(at, 2).await.is_empty());
}

#[rstest]
#[tokio::test]
async fn events_not_yet_due_under_a_live_claim_or_settled_are_not_claimed(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let at = now();
    let retrying = outbox
        .given(&user_created(), Given::pending(at + seconds(5)).attempts(1))
        .await;
    let in_flight = outbox
        .given(
            &user_created(),
            Given::pending(at + lease()).claimed(Uuid::now_v7()),
        )
        .await;
    outbox
        .given(&user_created(), Given::delivered(at - seconds(10)))
        .await;
    outbox
        .given(&user_created(), Given::dead(at - seconds(10)))
        .await;

    assert!(outbox.claim(at, 10).await.is_empty());
    assert_eq!(
        ids(&outbox.claim(at + seconds(5), 10).await),
        vec![retrying]
    );
    assert_eq!(ids(&outbox.claim(at + lease(), 10).await), vec![in_flight]);
}

#[rstest]
#[tokio::test]
async fn an_expired_claim_is_handed_back(#[values(Sqlite, Postgres)] backend: Backend) {
    let outbox = fixture(backend).await;
    let at = now();
    let lost = Uuid::now_v7();
    let id = outbox
        .given(&user_created(), Given::pending(at).claimed(lost))
        .await;

    let claimed = outbox.claim(at, 10).await;

    assert_eq!(ids(&claimed), vec![id]);
    assert_ne!(claimed[0].claim, lost);
    assert_eq!(outbox.row(id).await.claimed_by, Some(claimed[0].claim));
}

#[rstest]
#[tokio::test]
async fn an_event_waits_while_an_earlier_event_of_its_aggregate_is_undelivered(
    #[values(Sqlite, Postgres)] backend: Backend,
    #[values("pending", "dead")] earlier_status: &str,
) {
    let outbox = fixture(backend).await;
    let at = now();
    let first = user_created();
    let earlier = match earlier_status {
        // Waiting for its retry time.
        "pending" => Given::pending(at + seconds(60)).attempts(1),
        _ => Given::dead(at - seconds(60)),
    };
    let earlier = outbox.given(&first, earlier).await;
    let later = outbox
        .given(&next_event_of(&first), Given::pending(at - seconds(10)))
        .await;
    let unrelated = outbox
        .given(&user_created(), Given::pending(at - seconds(10)))
        .await;

    assert_eq!(ids(&outbox.claim(at, 10).await), vec![unrelated]);

    outbox.set(earlier, "status", "delivered").await;
    assert_eq!(ids(&outbox.claim(at, 10).await), vec![later]);
}

#[rstest]
#[tokio::test]
async fn a_settlement_under_a_stale_claim_changes_nothing(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let store = outbox.store();
    let at = now();
    let stale = claimed_event(&outbox, at, Given::pending(at)).await;
    // Its lease runs out and another relay claims it.
    let later = at + lease();
    let current = outbox.claim(later, 10).await.remove(0);
    assert_eq!(current.id, stale.id);
    assert_ne!(current.claim, stale.claim);
    let before = outbox.row(stale.id).await;

    for settlement in [
        Settlement::Delivered,
        Settlement::Retry {
            attempts: 1,
            retry_at: later + seconds(1),
            error: "late".to_string(),
        },
        Settlement::Dead {
            attempts: 10,
            error: "late".to_string(),
        },
        Settlement::HeldBack,
    ] {
        store.settle(&stale, &settlement, later).await.unwrap();
        assert_eq!(outbox.row(stale.id).await, before, "{settlement:?}");
    }

    store
        .settle(&current, &Settlement::Delivered, later)
        .await
        .unwrap();
    assert_eq!(outbox.row(stale.id).await.status, "delivered");
}

#[rstest]
#[tokio::test]
async fn delivered_marks_the_event_delivered_and_releases_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let at = now();
    let event = claimed_event(&outbox, at, Given::pending(at).attempts(2)).await;
    let settled_at = at + seconds(1);

    outbox
        .store()
        .settle(&event, &Settlement::Delivered, settled_at)
        .await
        .unwrap();

    let row = outbox.row(event.id).await;
    assert_eq!(row.status, "delivered");
    assert_eq!(row.delivered_at, Some(settled_at));
    assert_eq!((row.attempts, row.claimed_by), (2, None));
    assert!(outbox.claim(at + seconds(3600), 10).await.is_empty());
}

#[rstest]
#[tokio::test]
async fn retry_counts_the_attempt_and_makes_the_event_due_at_its_retry_time(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let at = now();
    let event = claimed_event(&outbox, at, Given::pending(at).attempts(2)).await;
    let retry_at = at + seconds(8);

    outbox
        .store()
        .settle(
            &event,
            &Settlement::Retry {
                attempts: 3,
                retry_at,
                error: "the handler is down".to_string(),
            },
            at,
        )
        .await
        .unwrap();

    let row = outbox.row(event.id).await;
    assert_eq!(row.status, "pending");
    assert_eq!(row.attempts, 3);
    assert_eq!(row.available_at, millis(retry_at));
    assert_eq!(row.last_error.as_deref(), Some("the handler is down"));
    assert_eq!((row.claimed_by, row.delivered_at), (None, None));
    assert!(
        outbox
            .claim(retry_at - TimeDelta::milliseconds(1), 10)
            .await
            .is_empty()
    );
    let again = outbox.claim(retry_at, 10).await;
    assert_eq!(ids(&again), vec![event.id]);
    assert_eq!(again[0].attempts, 3);
}

#[rstest]
#[tokio::test]
async fn dead_parks_the_event_for_good(#[values(Sqlite, Postgres)] backend: Backend) {
    let outbox = fixture(backend).await;
    let at = now();
    let event = claimed_event(&outbox, at, Given::pending(at).attempts(9)).await;

    outbox
        .store()
        .settle(
            &event,
            &Settlement::Dead {
                attempts: 10,
                error: "the handler is down".to_string(),
            },
            at,
        )
        .await
        .unwrap();

    let row = outbox.row(event.id).await;
    assert_eq!(row.status, "dead");
    assert_eq!(row.attempts, 10);
    assert_eq!(row.last_error.as_deref(), Some("the handler is down"));
    assert_eq!((row.claimed_by, row.delivered_at), (None, None));
    assert!(outbox.claim(at + seconds(3600), 10).await.is_empty());
}

#[rstest]
#[tokio::test]
async fn held_back_gives_the_claim_back_without_counting_an_attempt(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let at = now();
    let event = claimed_event(&outbox, at, Given::pending(at).attempts(2)).await;
    let settled_at = at + seconds(1);

    outbox
        .store()
        .settle(&event, &Settlement::HeldBack, settled_at)
        .await
        .unwrap();

    let row = outbox.row(event.id).await;
    assert_eq!(row.status, "pending");
    assert_eq!(row.attempts, 2);
    assert_eq!(row.available_at, millis(settled_at));
    assert_eq!(row.claimed_by, None);
    assert_eq!(ids(&outbox.claim(settled_at, 10).await), vec![event.id]);
}

#[rstest]
#[tokio::test]
async fn a_row_that_no_longer_reads_as_an_event_is_claimed_with_the_reason(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let at = now();

    let event = claimed_event(&outbox, at, Given::pending(at).version(9)).await;

    let error = event.event.unwrap_err();
    assert!(error.contains("version 9"), "{error}");
}

#[rstest]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claims_take_disjoint_batches_that_cover_every_due_event(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let store = Arc::new(outbox.store());
    let at = now();

    for _ in 0..5 {
        let mut due = HashSet::new();
        for _ in 0..40 {
            due.insert(
                outbox
                    .given(&user_created(), Given::pending(at - seconds(1)))
                    .await,
            );
        }

        let start = Arc::new(Barrier::new(2));
        let claims: Vec<_> = (0..2)
            .map(|_| {
                let (store, start) = (store.clone(), start.clone());
                tokio::spawn(async move {
                    start.wait().await;
                    store.claim_due(at, LEASE, 25).await.unwrap()
                })
            })
            .collect();
        let mut batches: Vec<HashSet<EventId>> = Vec::new();
        for claim in claims {
            batches.push(ids(&claim.await.unwrap()).into_iter().collect());
        }

        assert!(batches[0].is_disjoint(&batches[1]), "{batches:?}");
        let all: HashSet<EventId> = batches[0].union(&batches[1]).copied().collect();
        assert_eq!(all, due);
    }
}

/// What makes concurrent relays safe on PostgreSQL: a claim passes over the rows another
/// claim has locked instead of waiting for them.
#[rstest]
#[tokio::test]
async fn a_claim_skips_the_events_another_claim_is_locking(#[values(Postgres)] backend: Backend) {
    let outbox = fixture(backend).await;
    let at = now();
    let mut given = Vec::new();
    for _ in 0..4 {
        given.push(
            outbox
                .given(&user_created(), Given::pending(at - seconds(1)))
                .await,
        );
    }
    let other_claim = outbox.database.begin().await.unwrap();
    let locked = other_claim
        .query_all(
            &Query::select()
                .column("sequence")
                .from("event_outbox")
                .and_where(Expr::col("event_id").is_in([given[0].as_uuid(), given[2].as_uuid()]))
                .lock(LockType::Update)
                .to_owned(),
        )
        .await
        .unwrap();
    assert_eq!(locked.len(), 2);

    let claimed = tokio::time::timeout(Duration::from_secs(5), outbox.claim(at, 10))
        .await
        .expect("the claim waited for the locked rows");

    assert_eq!(ids(&claimed), vec![given[1], given[3]]);
    other_claim.rollback().await.unwrap();
    assert_eq!(ids(&outbox.claim(at, 10).await), vec![given[0], given[2]]);
}
