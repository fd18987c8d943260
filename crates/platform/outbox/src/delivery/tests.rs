//! The relay and the delivery against an in-memory outbox, a fake clock and a bus whose
//! handler fails on demand.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use shared_kernel_domain::{Clock, DomainEvent, EventRef, FixedClock};
use uuid::Uuid;

use super::*;
use shared_kernel_application::{
    EventHandler, EventHandlerError, EventId, InfrastructureError, MessageBus,
};

#[derive(Debug)]
struct Happened {
    n: u32,
}

impl DomainEvent for Happened {
    fn event_type(&self) -> &'static str {
        "test.Happened"
    }
    fn occurred_at(&self) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH
    }
}

/// Records what it saw; fails while `failures_left` is above zero.
#[derive(Default)]
struct Handler {
    failures_left: AtomicU32,
    seen: Mutex<Vec<u32>>,
}

struct SharedHandler(Arc<Handler>);

#[async_trait]
impl EventHandler<Happened> for SharedHandler {
    fn name(&self) -> &'static str {
        "test.Handler"
    }
    async fn handle(&self, event: &Happened, _id: EventId) -> Result<(), EventHandlerError> {
        let failing = self
            .0
            .failures_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if failing {
            return Err("the handler is down".into());
        }
        self.0.seen.lock().unwrap().push(event.n);
        Ok(())
    }
}

/// One outbox row.
#[derive(Debug, Clone)]
struct Row {
    id: EventId,
    aggregate: Uuid,
    event: EventRef,
    status: Status,
    attempts: u32,
    available_at: DateTime<Utc>,
    claim: Option<Uuid>,
    last_error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Pending,
    Delivered,
    Dead,
}

/// The outbox's rules (what is due, who may settle), kept in a vector in recording order.
#[derive(Default)]
struct InMemoryOutbox(Mutex<Vec<Row>>);

impl InMemoryOutbox {
    fn record(&self, aggregate: Uuid, n: u32, now: DateTime<Utc>) -> EventId {
        let id = EventId::new();
        self.0.lock().unwrap().push(Row {
            id,
            aggregate,
            event: Arc::new(Happened { n }),
            status: Status::Pending,
            attempts: 0,
            available_at: now,
            claim: None,
            last_error: None,
        });
        id
    }

    fn row(&self, id: EventId) -> Row {
        self.0
            .lock()
            .unwrap()
            .iter()
            .find(|r| r.id == id)
            .cloned()
            .unwrap()
    }
}

#[async_trait]
impl OutboxStore for InMemoryOutbox {
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<PendingEvent>, InfrastructureError> {
        let mut rows = self.0.lock().unwrap();
        let mut claimed = Vec::new();
        for index in 0..rows.len() {
            let row = &rows[index];
            let earlier_undelivered = rows[..index]
                .iter()
                .any(|r| r.aggregate == row.aggregate && r.status != Status::Delivered);
            if row.status != Status::Pending || row.available_at > now || earlier_undelivered {
                continue;
            }
            if claimed.len() == limit {
                break;
            }
            let claim = Uuid::now_v7();
            let row = &mut rows[index];
            row.claim = Some(claim);
            row.available_at = now + TimeDelta::from_std(lease).unwrap();
            claimed.push(PendingEvent {
                id: row.id,
                aggregate_id: row.aggregate,
                event_type: row.event.event_type().to_string(),
                attempts: row.attempts,
                claim,
                event: Ok(row.event.clone()),
                request_id: None,
            });
        }
        Ok(claimed)
    }

    async fn settle(
        &self,
        event: &PendingEvent,
        settlement: &Settlement,
        now: DateTime<Utc>,
    ) -> Result<(), InfrastructureError> {
        let mut rows = self.0.lock().unwrap();
        let Some(row) = rows
            .iter_mut()
            .find(|r| r.id == event.id && r.claim == Some(event.claim))
        else {
            return Ok(());
        };
        row.claim = None;
        match settlement {
            Settlement::Delivered => row.status = Status::Delivered,
            Settlement::Retry {
                attempts,
                retry_at,
                error,
            } => {
                row.attempts = *attempts;
                row.available_at = *retry_at;
                row.last_error = Some(error.clone());
            }
            Settlement::Dead { attempts, error } => {
                row.status = Status::Dead;
                row.attempts = *attempts;
                row.last_error = Some(error.clone());
            }
            Settlement::HeldBack => row.available_at = now,
        }
        Ok(())
    }
}

struct World {
    clock: Arc<FixedClock>,
    outbox: Arc<InMemoryOutbox>,
    handler: Arc<Handler>,
    relay: OutboxRelay,
}

fn world(max_attempts: u32) -> World {
    let clock = Arc::new(FixedClock::at(DateTime::UNIX_EPOCH));
    let outbox = Arc::new(InMemoryOutbox::default());
    let handler = Arc::new(Handler::default());
    let bus = MessageBus::build(|registry, _| {
        registry.event(SharedHandler(handler.clone()));
        Ok(())
    })
    .unwrap();
    let delivery = Arc::new(EventDelivery {
        publisher: bus,
        store: outbox.clone(),
        policy: RetryPolicy {
            max_attempts,
            first_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
        },
        clock: clock.clone(),
    });
    let relay = OutboxRelay {
        store: outbox.clone(),
        delivery,
        clock: clock.clone(),
        lease: Duration::from_secs(30),
        batch_size: 10,
    };
    World {
        clock,
        outbox,
        handler,
        relay,
    }
}

impl World {
    fn fail_next(&self, times: u32) {
        self.handler.failures_left.store(times, Ordering::SeqCst);
    }

    fn seen(&self) -> Vec<u32> {
        self.handler.seen.lock().unwrap().clone()
    }

    fn advance_secs(&self, secs: i64) {
        self.clock.advance(TimeDelta::seconds(secs));
    }
}

#[tokio::test]
async fn a_due_event_is_delivered_and_then_left_alone() {
    let w = world(5);
    let id = w.outbox.record(Uuid::now_v7(), 1, w.clock.now());

    let report = w.relay.relay_once().await.unwrap();

    assert_eq!(report.delivered, 1);
    assert_eq!(w.outbox.row(id).status, Status::Delivered);
    assert_eq!(w.relay.relay_once().await.unwrap().handled(), 0);
    assert_eq!(w.seen(), vec![1]);
}

#[tokio::test]
async fn a_failed_event_waits_twice_as_long_after_each_failure() {
    let w = world(5);
    let id = w.outbox.record(Uuid::now_v7(), 1, w.clock.now());
    w.fail_next(2);

    let first = w.relay.relay_once().await.unwrap();
    assert_eq!(first.retrying.len(), 1);
    assert_eq!(
        first.retrying[0].error,
        "event handler test.Handler failed on test.Happened: the handler is down"
    );
    let row = w.outbox.row(id);
    assert_eq!((row.status, row.attempts), (Status::Pending, 1));
    assert_eq!(
        row.available_at,
        DateTime::UNIX_EPOCH + TimeDelta::seconds(10)
    );

    w.advance_secs(9);
    assert_eq!(
        w.relay.relay_once().await.unwrap().handled(),
        0,
        "not due yet"
    );
    w.advance_secs(1);
    assert_eq!(w.relay.relay_once().await.unwrap().retrying.len(), 1);
    let row = w.outbox.row(id);
    assert_eq!(row.attempts, 2);
    assert_eq!(row.available_at, w.clock.now() + TimeDelta::seconds(20));

    w.advance_secs(20);
    assert_eq!(w.relay.relay_once().await.unwrap().delivered, 1);
    assert_eq!(w.outbox.row(id).status, Status::Delivered);
    assert_eq!(w.seen(), vec![1]);
}

#[tokio::test]
async fn an_event_that_fails_every_attempt_is_parked_with_its_last_error() {
    let w = world(3);
    let id = w.outbox.record(Uuid::now_v7(), 1, w.clock.now());
    w.fail_next(u32::MAX);

    let mut parked = Vec::new();
    for _ in 0..10 {
        parked.extend(w.relay.relay_once().await.unwrap().parked);
        w.advance_secs(60);
    }

    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].attempts, 3);
    let row = w.outbox.row(id);
    assert_eq!((row.status, row.attempts), (Status::Dead, 3));
    assert!(row.last_error.unwrap().contains("the handler is down"));
    assert!(w.seen().is_empty());
}

#[tokio::test]
async fn a_failure_holds_back_the_later_events_of_its_aggregate_only() {
    let w = world(5);
    let (slow, other) = (Uuid::now_v7(), Uuid::now_v7());
    let now = w.clock.now();
    let first = w.outbox.record(slow, 1, now);
    let second = w.outbox.record(slow, 2, now);
    w.outbox.record(other, 3, now);
    w.fail_next(1);

    // The relay claims only the first event of each aggregate: the second waits for the first.
    let report = w.relay.relay_once().await.unwrap();
    assert_eq!((report.retrying.len(), report.delivered), (1, 1));
    assert_eq!(w.seen(), vec![3]);
    assert_eq!(w.outbox.row(second).status, Status::Pending);

    w.advance_secs(10);
    let report = w.relay.relay_once().await.unwrap();
    assert_eq!(report.delivered, 1, "only the first event was due");
    assert_eq!(w.outbox.row(first).status, Status::Delivered);
    w.relay.relay_once().await.unwrap();

    assert_eq!(w.seen(), vec![3, 1, 2]);
}

#[tokio::test]
async fn within_one_batch_the_events_after_a_failure_of_their_aggregate_are_given_back() {
    let w = world(5);
    let aggregate = Uuid::now_v7();
    let events: Vec<PendingEvent> = (1..=2)
        .map(|n| PendingEvent {
            id: EventId::new(),
            aggregate_id: aggregate,
            event_type: "test.Happened".into(),
            attempts: 0,
            claim: Uuid::now_v7(),
            event: Ok(Arc::new(Happened { n })),
            request_id: None,
        })
        .collect();
    w.fail_next(1);

    let report = w.relay.delivery.deliver(events).await;

    assert_eq!((report.retrying.len(), report.held_back), (1, 1));
    assert!(
        w.seen().is_empty(),
        "the second event must not overtake the first"
    );
}

#[tokio::test]
async fn an_event_that_cannot_be_read_back_fails_until_it_is_parked() {
    let w = world(2);
    let broken = PendingEvent {
        id: EventId::new(),
        aggregate_id: Uuid::now_v7(),
        event_type: "test.Unknown".into(),
        attempts: 1,
        claim: Uuid::now_v7(),
        event: Err("no codec for test.Unknown version 1".into()),
        request_id: None,
    };

    let report = w.relay.delivery.deliver(vec![broken]).await;

    assert_eq!(report.parked.len(), 1);
    assert_eq!(
        report.parked[0].error,
        "no codec for test.Unknown version 1"
    );
}

#[tokio::test]
async fn a_claim_keeps_other_relays_off_until_its_lease_runs_out() {
    let w = world(5);
    w.outbox.record(Uuid::now_v7(), 1, w.clock.now());

    // A relay claims the event and dies before settling it.
    let claimed = w
        .outbox
        .claim_due(w.clock.now(), Duration::from_secs(30), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);

    assert_eq!(w.relay.relay_once().await.unwrap().handled(), 0);
    w.advance_secs(30);
    assert_eq!(w.relay.relay_once().await.unwrap().delivered, 1);

    // The dead relay's late settlement no longer counts.
    w.outbox
        .settle(
            &claimed[0],
            &Settlement::Dead {
                attempts: 9,
                error: "late".into(),
            },
            w.clock.now(),
        )
        .await
        .unwrap();
    assert_eq!(w.outbox.row(claimed[0].id).status, Status::Delivered);
}
