//! The retention purge against real databases, on a clock the test moves: what goes, what
//! stays, in batches of a bounded size, and the task that runs it in the background.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use metrics::{
    Counter, Gauge, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder, SharedString, Unit,
};
use platform_database::testing::{Backend, Postgres, Sqlite};
use platform_outbox::SeaOrmInbox;
use platform_outbox::{OutboxPurger, PurgeReport, PurgeSchedule, PurgeTask, PurgedTable};
use rstest::rstest;
use sea_orm::sea_query::{Expr, ExprTrait, LockType, Query};
use sea_orm::{ConnectionTrait, TransactionTrait};
use shared_kernel_application::{EventId, Inbox};
use shared_kernel_domain::FixedClock;

use crate::support::{Fixture, Given, TestPublisher, user_created};

const RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);
const HANDLER: &str = "test.Handler";

fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 123_456_000).unwrap()
}

fn hours(n: i64) -> TimeDelta {
    TimeDelta::hours(n)
}

/// A week before `start()`: what is older goes.
fn cutoff() -> DateTime<Utc> {
    start() - TimeDelta::from_std(RETENTION).unwrap()
}

async fn fixture(backend: Backend) -> Fixture {
    Fixture::on(backend, TestPublisher::handling()).await
}

/// Batches of `batch_size` with no pause between them, a week's retention, on `clock`.
fn purger(outbox: &Fixture, clock: Arc<FixedClock>, batch_size: u64) -> OutboxPurger {
    OutboxPurger::new(
        outbox.transactions.clone(),
        clock,
        Some(RETENTION),
        PurgeSchedule {
            batch_size,
            pause: Duration::ZERO,
            every: Duration::from_secs(3600),
        },
    )
}

fn at_start() -> Arc<FixedClock> {
    Arc::new(FixedClock::at(start()))
}

/// The ids of the outbox rows left, in recording order.
async fn outbox_ids(outbox: &Fixture) -> Vec<EventId> {
    outbox.rows().await.iter().map(|row| row.id()).collect()
}

#[rstest]
#[tokio::test]
async fn delivered_events_older_than_the_retention_go_and_every_other_stays(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let old = outbox
        .given(&user_created(), Given::delivered(cutoff() - hours(24)))
        .await;
    let just_old = outbox
        .given(
            &user_created(),
            Given::delivered(cutoff() - TimeDelta::microseconds(1)),
        )
        .await;
    let at_the_cutoff = outbox
        .given(&user_created(), Given::delivered(cutoff()))
        .await;
    let young = outbox
        .given(&user_created(), Given::delivered(start() - hours(1)))
        .await;
    // Waiting or parked for longer than the retention: they may still be delivered.
    let pending = outbox
        .given(&user_created(), Given::pending(cutoff() - hours(24)))
        .await;
    let dead = outbox
        .given(&user_created(), Given::dead(cutoff() - hours(24)))
        .await;
    let kept = outbox.rows().await;

    let report = purger(&outbox, at_start(), 500)
        .purge(|| true)
        .await
        .unwrap();

    assert_eq!(
        report,
        PurgeReport {
            outbox: 2,
            inbox: 0,
            idempotency_keys: 0
        }
    );
    assert_eq!(
        outbox_ids(&outbox).await,
        vec![at_the_cutoff, young, pending, dead]
    );
    for row in outbox.rows().await {
        assert!(kept.contains(&row), "a kept row is unchanged: {row:?}");
    }
    assert!(!outbox_ids(&outbox).await.contains(&old));
    assert!(!outbox_ids(&outbox).await.contains(&just_old));
}

/// An inbox row is what makes a second delivery of its event harmless: it goes only once
/// the event cannot be delivered again.
#[rstest]
#[tokio::test]
async fn an_inbox_row_goes_only_once_its_event_cannot_come_back(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let long_ago = cutoff() - hours(48);
    let delivered_long_ago = outbox
        .given(&user_created(), Given::delivered(cutoff() - hours(24)))
        .await;
    let delivered_lately = outbox
        .given(&user_created(), Given::delivered(start() - hours(1)))
        .await;
    let pending = outbox
        .given(&user_created(), Given::pending(long_ago))
        .await;
    let dead = outbox.given(&user_created(), Given::dead(long_ago)).await;
    let purged_before = EventId::new();
    let unknown_lately = EventId::new();
    for event in [
        delivered_long_ago,
        delivered_lately,
        pending,
        dead,
        purged_before,
    ] {
        outbox.given_inbox(HANDLER, event, long_ago).await;
    }
    outbox
        .given_inbox("test.Other", delivered_long_ago, long_ago)
        .await;
    outbox
        .given_inbox(HANDLER, unknown_lately, start() - hours(1))
        .await;

    let purger = purger(&outbox, at_start(), 500);

    // The inbox first, while the delivered event is still in the outbox.
    let deleted = purger.purge_batch(PurgedTable::Inbox, cutoff()).await;
    assert_eq!(deleted.unwrap(), 3);
    let kept: HashSet<_> = [delivered_lately, pending, dead, unknown_lately]
        .into_iter()
        .map(|event| (HANDLER.to_owned(), event))
        .collect();
    assert_eq!(outbox.inbox().await, kept);
    assert_eq!(
        purger.purge(|| true).await.unwrap(),
        PurgeReport {
            outbox: 1,
            inbox: 0,
            idempotency_keys: 0
        }
    );
    assert_eq!(outbox.inbox().await, kept);

    // The dead event comes back once re-queued: its handler still knows it.
    outbox
        .admin()
        .requeue(Some(&[dead.as_uuid()]), start())
        .await
        .unwrap();
    let scope = outbox.begin().await;
    let inbox = SeaOrmInbox::new(scope.participant());
    assert!(!inbox.first_delivery(HANDLER, dead).await.unwrap());
}

#[rstest]
#[tokio::test]
async fn nothing_goes_before_the_clock_has_passed_the_retention(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let event = outbox
        .given(&user_created(), Given::delivered(start()))
        .await;
    outbox.given_inbox(HANDLER, event, start()).await;
    let clock = at_start();
    let purger = purger(&outbox, clock.clone(), 500);
    let nothing = PurgeReport::default();

    assert_eq!(purger.purge(|| true).await.unwrap(), nothing);
    clock.advance(TimeDelta::from_std(RETENTION).unwrap());
    assert_eq!(purger.purge(|| true).await.unwrap(), nothing);
    clock.advance(TimeDelta::milliseconds(1));
    assert_eq!(
        purger.purge(|| true).await.unwrap(),
        PurgeReport {
            outbox: 1,
            inbox: 1,
            idempotency_keys: 0
        }
    );
    assert_eq!(outbox.rows().await, Vec::new());
    assert_eq!(outbox.inbox().await, HashSet::new());
}

#[rstest]
#[tokio::test]
async fn a_batch_deletes_at_most_its_size_and_a_pass_takes_batch_after_batch(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    for _ in 0..5 {
        let event = outbox
            .given(&user_created(), Given::delivered(cutoff() - hours(1)))
            .await;
        outbox
            .given_inbox(HANDLER, event, cutoff() - hours(1))
            .await;
    }
    let purger = purger(&outbox, at_start(), 2);

    assert_eq!(
        purger
            .purge_batch(PurgedTable::Outbox, cutoff())
            .await
            .unwrap(),
        2
    );
    assert_eq!(outbox.rows().await.len(), 3);
    assert_eq!(
        purger
            .purge_batch(PurgedTable::Inbox, cutoff())
            .await
            .unwrap(),
        2
    );
    assert_eq!(outbox.inbox().await.len(), 3);

    let mut batches = 0;
    let report = purger
        .purge(|| {
            batches += 1;
            true
        })
        .await
        .unwrap();

    assert_eq!(
        report,
        PurgeReport {
            outbox: 3,
            inbox: 3,
            idempotency_keys: 0
        }
    );
    // 2 + 1 from the outbox, 2 + 1 from the inbox, then an empty one of idempotency keys.
    assert_eq!(batches, 5);
    assert_eq!(outbox.rows().await, Vec::new());
    assert_eq!(outbox.inbox().await, HashSet::new());
}

#[rstest]
#[tokio::test]
async fn a_pass_asked_to_stop_ends_after_the_batch_in_hand(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    for _ in 0..5 {
        outbox
            .given(&user_created(), Given::delivered(cutoff() - hours(1)))
            .await;
    }
    outbox
        .given_inbox(HANDLER, EventId::new(), cutoff() - hours(1))
        .await;

    let report = purger(&outbox, at_start(), 2)
        .purge(|| false)
        .await
        .unwrap();

    assert_eq!(
        report,
        PurgeReport {
            outbox: 2,
            inbox: 0,
            idempotency_keys: 0
        }
    );
    assert_eq!(outbox.rows().await.len(), 3);
    assert_eq!(outbox.inbox().await.len(), 1);
}

#[rstest]
#[tokio::test]
async fn the_task_purges_at_once_and_stops_when_asked(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let old = outbox
        .given(&user_created(), Given::delivered(cutoff() - hours(1)))
        .await;
    let young = outbox
        .given(&user_created(), Given::delivered(start()))
        .await;
    outbox.given_inbox(HANDLER, old, cutoff() - hours(1)).await;

    // Its next pass is an hour away: only the first one can have purged.
    let task = PurgeTask::spawn(purger(&outbox, at_start(), 500));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while outbox_ids(&outbox).await != vec![young] || !outbox.inbox().await.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "nothing was purged");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    tokio::time::timeout(Duration::from_secs(5), task.stop())
        .await
        .expect("the task stops without waiting for its next pass");
}

/// What lets several processes purge one PostgreSQL database: a purge passes over the rows
/// another purge is deleting instead of waiting for them.
#[rstest]
#[tokio::test]
async fn a_purge_skips_the_rows_another_purge_holds(#[values(Postgres)] backend: Backend) {
    let outbox = fixture(backend).await;
    let mut old = Vec::new();
    for _ in 0..4 {
        old.push(
            outbox
                .given(&user_created(), Given::delivered(cutoff() - hours(1)))
                .await,
        );
    }
    let other_purge = outbox.database.begin().await.unwrap();
    let locked = other_purge
        .query_all(
            &Query::select()
                .column("sequence")
                .from("event_outbox")
                .and_where(Expr::col("event_id").is_in([old[0].as_uuid(), old[2].as_uuid()]))
                .lock(LockType::Update)
                .to_owned(),
        )
        .await
        .unwrap();
    assert_eq!(locked.len(), 2);
    let purger = purger(&outbox, at_start(), 500);

    let deleted = tokio::time::timeout(
        Duration::from_secs(5),
        purger.purge_batch(PurgedTable::Outbox, cutoff()),
    )
    .await
    .expect("the purge waited for the locked rows")
    .unwrap();

    assert_eq!(deleted, 2);
    assert_eq!(outbox_ids(&outbox).await, vec![old[0], old[2]]);
    other_purge.rollback().await.unwrap();
    assert_eq!(
        purger
            .purge_batch(PurgedTable::Outbox, cutoff())
            .await
            .unwrap(),
        2
    );
}

/// Counters and histogram samples by name and labels, e.g.
/// `outbox_purged_total{table=event_outbox}`.
#[derive(Default)]
struct Recorded {
    counters: Mutex<HashMap<String, Arc<AtomicU64>>>,
    samples: Mutex<HashMap<String, Arc<Samples>>>,
}

#[derive(Default)]
struct Samples(AtomicU64);

impl HistogramFn for Samples {
    fn record(&self, _: f64) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn name(key: &Key) -> String {
    let labels: Vec<String> = key
        .labels()
        .map(|label| format!("{}={}", label.key(), label.value()))
        .collect();
    format!("{}{{{}}}", key.name(), labels.join(","))
}

impl Recorded {
    fn counter(&self, name: &str) -> u64 {
        self.counters
            .lock()
            .unwrap()
            .get(name)
            .map_or(0, |counter| counter.load(Ordering::SeqCst))
    }

    fn samples(&self, name: &str) -> u64 {
        self.samples
            .lock()
            .unwrap()
            .get(name)
            .map_or(0, |samples| samples.0.load(Ordering::SeqCst))
    }
}

impl Recorder for Recorded {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        let mut counters = self.counters.lock().unwrap();
        Counter::from_arc(counters.entry(name(key)).or_default().clone())
    }

    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        let mut samples = self.samples.lock().unwrap();
        Histogram::from_arc(samples.entry(name(key)).or_default().clone())
    }
}

/// A recorder of the test's own, on this thread only, so that tests running beside it count
/// nothing here: the purge runs on the test's thread, in a runtime of one thread.
#[rstest]
#[test]
fn the_purge_counts_what_it_deletes_per_table(#[values(Sqlite, Postgres)] backend: Backend) {
    let recorded = Recorded::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    metrics::with_local_recorder(&recorded, || {
        runtime.block_on(async {
            let outbox = fixture(backend).await;
            for _ in 0..3 {
                let event = outbox
                    .given(&user_created(), Given::delivered(cutoff() - hours(1)))
                    .await;
                outbox
                    .given_inbox(HANDLER, event, cutoff() - hours(1))
                    .await;
            }
            purger(&outbox, at_start(), 2).purge(|| true).await.unwrap();
        });
    });

    assert_eq!(
        recorded.counter("outbox_purged_total{table=event_outbox}"),
        3
    );
    assert_eq!(
        recorded.counter("outbox_purged_total{table=event_inbox}"),
        3
    );
    // One sample per batch: 2 + 1 rows from each table.
    assert_eq!(
        recorded.samples("outbox_purge_batch_seconds{table=event_outbox}"),
        2
    );
    assert_eq!(
        recorded.samples("outbox_purge_batch_seconds{table=event_inbox}"),
        2
    );
}
