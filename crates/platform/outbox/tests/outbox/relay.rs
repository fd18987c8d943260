//! The relay end to end: the writer, `OutboxRelay` and `EventDelivery` over the real store,
//! with a clock the test moves.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use platform_database::testing::{Backend, Postgres, Sqlite};
use platform_outbox::delivery::{OutboxRelay, RetryPolicy};
use rstest::rstest;
use shared_kernel_domain::{Clock, FixedClock};

use crate::support::{Fixture, LEASE, TestPublisher, millis, next_event_of, seconds, user_created};

struct Relaying {
    outbox: Fixture,
    clock: Arc<FixedClock>,
    relay: OutboxRelay,
}

/// 1 s, 2 s, 4 s… between attempts; parked after `max_attempts`.
fn policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        first_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(60),
    }
}

fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 123_456_000).unwrap()
}

/// Everything on the clock of the test: the writer's delivery after the commit too.
async fn relaying(backend: Backend, policy: RetryPolicy) -> Relaying {
    let mut outbox = Fixture::on(backend, TestPublisher::handling()).await;
    let clock = Arc::new(FixedClock::at(start()));
    let delivery = outbox.delivery(clock.clone(), policy);
    outbox.deliver_with(delivery.clone(), Arc::default());
    let relay = OutboxRelay {
        store: Arc::new(outbox.store()),
        delivery,
        clock: clock.clone(),
        lease: LEASE,
        batch_size: 10,
    };
    Relaying {
        outbox,
        clock,
        relay,
    }
}

impl Relaying {
    fn advance(&self, by: TimeDelta) {
        self.clock.advance(by);
    }
}

#[rstest]
#[tokio::test]
async fn a_failing_event_is_retried_with_backoff_until_it_is_delivered(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let relaying = relaying(backend, policy(5)).await;
    let outbox = &relaying.outbox;
    outbox.publisher.fail_next(2);
    outbox.record(&[user_created()]).await;
    let id = outbox.rows().await[0].id();

    // The delivery after the commit failed: attempt 1, retried a second later.
    let row = outbox.row(id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert_eq!(row.available_at, millis(start() + seconds(1)));
    assert_eq!(relaying.relay.relay_once().await.unwrap().handled(), 0);

    relaying.advance(seconds(1));
    let report = relaying.relay.relay_once().await.unwrap();
    assert_eq!(report.retrying.len(), 1);
    assert_eq!(report.retrying[0].attempts, 2);
    let row = outbox.row(id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 2));
    assert_eq!(row.available_at, millis(start() + seconds(1 + 2)));
    assert!(
        row.last_error
            .is_some_and(|e| e.contains("the handler is down"))
    );
    assert_eq!(row.claimed_by, None);

    relaying.advance(seconds(1));
    assert_eq!(relaying.relay.relay_once().await.unwrap().handled(), 0);

    relaying.advance(seconds(1));
    let report = relaying.relay.relay_once().await.unwrap();
    assert_eq!(report.delivered, 1);
    let row = outbox.row(id).await;
    assert_eq!(row.status, "delivered");
    assert_eq!(row.delivered_at, Some(start() + seconds(3)));
    assert_eq!(row.claimed_by, None);

    let attempts: Vec<bool> = outbox
        .publisher
        .publications()
        .iter()
        .map(|p| p.succeeded)
        .collect();
    assert_eq!(attempts, vec![false, false, true]);
    relaying.advance(seconds(3600));
    assert_eq!(relaying.relay.relay_once().await.unwrap().handled(), 0);
}

#[rstest]
#[tokio::test]
async fn an_event_that_fails_every_attempt_is_parked_dead_until_requeued(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let relaying = relaying(backend, policy(3)).await;
    let outbox = &relaying.outbox;
    outbox.publisher.fail_always(true);
    outbox.record(&[user_created()]).await;
    let id = outbox.rows().await[0].id();

    relaying.advance(seconds(1));
    let report = relaying.relay.relay_once().await.unwrap();
    assert_eq!(report.retrying.len(), 1);
    assert_eq!(outbox.row(id).await.attempts, 2);

    relaying.advance(seconds(2));
    let report = relaying.relay.relay_once().await.unwrap();
    assert_eq!(report.parked.len(), 1);
    assert_eq!(report.parked[0].attempts, 3);
    let row = outbox.row(id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("dead", 3));
    assert!(
        row.last_error
            .is_some_and(|e| e.contains("the handler is down"))
    );
    assert_eq!(row.claimed_by, None);

    relaying.advance(seconds(3600));
    assert_eq!(relaying.relay.relay_once().await.unwrap().handled(), 0);
    assert_eq!(outbox.publisher.publications().len(), 3);

    // The operator fixes the handler and re-queues the event.
    outbox.publisher.fail_always(false);
    let requeued = outbox
        .admin()
        .requeue(Some(&[id.as_uuid()]), relaying.clock.now())
        .await
        .unwrap();
    assert_eq!(requeued, 1);
    assert_eq!(relaying.relay.relay_once().await.unwrap().delivered, 1);
    assert_eq!(outbox.row(id).await.status, "delivered");
    assert_eq!(outbox.publisher.delivered(), vec![id]);
}

#[rstest]
#[tokio::test]
async fn the_relay_delivers_one_aggregates_events_in_recording_order(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let relaying = relaying(backend, policy(5)).await;
    let outbox = &relaying.outbox;
    let first = user_created();
    outbox.publisher.fail_next(1);
    outbox.record(std::slice::from_ref(&first)).await;
    let second = next_event_of(&first);
    outbox
        .record(&[second.clone(), next_event_of(&second)])
        .await;
    let recorded: Vec<_> = outbox.rows().await.iter().map(|row| row.id()).collect();

    relaying.advance(seconds(1));
    // The relay runs until it has nothing left to do.
    for _ in 0..10 {
        if relaying.relay.relay_once().await.unwrap().handled() == 0 {
            break;
        }
    }

    assert_eq!(outbox.publisher.delivered(), recorded);
    assert!(
        outbox
            .rows()
            .await
            .iter()
            .all(|row| row.status == "delivered")
    );
}
