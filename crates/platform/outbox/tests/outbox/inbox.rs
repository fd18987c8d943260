//! `SeaOrmInbox`, written through a Unit of Work's transaction.

use std::sync::Arc;
use std::time::Duration;

use platform_database::testing::{Backend, Postgres, Sqlite};
use platform_outbox::SeaOrmInbox;
use rstest::rstest;
use shared_kernel_application::EventId;
use shared_kernel_application::Inbox;
use tokio::sync::Barrier;

use crate::support::{Fixture, TestPublisher};

const HANDLER: &str = "test.Handler";

async fn fixture(backend: Backend) -> Fixture {
    Fixture::on(backend, TestPublisher::without_handlers()).await
}

/// What `handler` sees when it records `event` in a Unit of Work that commits.
async fn first_delivery(outbox: &Fixture, handler: &'static str, event: EventId) -> bool {
    let scope = outbox.begin().await;
    let inbox = SeaOrmInbox::new(scope.participant());
    let first = inbox.first_delivery(handler, event).await.unwrap();
    drop(inbox);
    scope.commit().await.unwrap();
    first
}

#[rstest]
#[tokio::test]
async fn only_the_first_committed_delivery_of_an_event_is_a_first_delivery(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let event = EventId::new();

    assert!(first_delivery(&outbox, HANDLER, event).await);
    assert!(!first_delivery(&outbox, HANDLER, event).await);
    assert!(!first_delivery(&outbox, HANDLER, event).await);
    assert!(first_delivery(&outbox, HANDLER, EventId::new()).await);
}

#[rstest]
#[tokio::test]
async fn a_second_delivery_in_the_same_unit_of_work_is_not_a_first(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = fixture(backend).await;
    let event = EventId::new();
    let scope = outbox.begin().await;
    let inbox = SeaOrmInbox::new(scope.participant());

    assert!(inbox.first_delivery(HANDLER, event).await.unwrap());
    assert!(!inbox.first_delivery(HANDLER, event).await.unwrap());

    drop(inbox);
    scope.commit().await.unwrap();
    assert!(!first_delivery(&outbox, HANDLER, event).await);
}

#[rstest]
#[tokio::test]
async fn a_rolled_back_unit_of_work_records_nothing(#[values(Sqlite, Postgres)] backend: Backend) {
    let outbox = fixture(backend).await;
    let event = EventId::new();

    let scope = outbox.begin().await;
    let inbox = SeaOrmInbox::new(scope.participant());
    assert!(inbox.first_delivery(HANDLER, event).await.unwrap());
    drop(inbox);
    drop(scope);

    assert!(first_delivery(&outbox, HANDLER, event).await);
}

#[rstest]
#[tokio::test]
async fn each_handler_has_an_inbox_of_its_own(#[values(Sqlite, Postgres)] backend: Backend) {
    let outbox = fixture(backend).await;
    let event = EventId::new();

    assert!(first_delivery(&outbox, "test.One", event).await);
    assert!(first_delivery(&outbox, "test.Other", event).await);
    assert!(!first_delivery(&outbox, "test.One", event).await);
    assert!(!first_delivery(&outbox, "test.Other", event).await);
}

/// On PostgreSQL every transaction is open before any of them records the event, so that
/// they really race on the key; on SQLite `BEGIN IMMEDIATE` queues them one after another.
#[rstest]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_deliveries_of_one_event_make_exactly_one_first(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    const DELIVERIES: usize = 8;
    let outbox = Arc::new(fixture(backend).await);
    let event = EventId::new();
    let start = Arc::new(Barrier::new(DELIVERIES));
    let all_begun = Arc::new(Barrier::new(DELIVERIES));

    let deliveries: Vec<_> = (0..DELIVERIES)
        .map(|_| {
            let (outbox, start, all_begun) = (outbox.clone(), start.clone(), all_begun.clone());
            tokio::spawn(async move {
                start.wait().await;
                let scope = outbox.begin().await;
                if backend == Postgres {
                    all_begun.wait().await;
                }
                let inbox = SeaOrmInbox::new(scope.participant());
                let first = inbox.first_delivery(HANDLER, event).await.unwrap();
                drop(inbox);
                scope.commit().await.unwrap();
                first
            })
        })
        .collect();
    let mut firsts = 0;
    for delivery in deliveries {
        if tokio::time::timeout(Duration::from_secs(30), delivery)
            .await
            .expect("a delivery is stuck")
            .unwrap()
        {
            firsts += 1;
        }
    }

    assert_eq!(firsts, 1);
}

/// The second delivery waits on the first's uncommitted row; when the first rolls back, the
/// second is the first delivery after all.
#[rstest]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_delivery_waiting_on_one_that_rolls_back_is_the_first(
    #[values(Postgres)] backend: Backend,
) {
    let outbox = Arc::new(fixture(backend).await);
    let event = EventId::new();

    let rolled_back = outbox.begin().await;
    let inbox = SeaOrmInbox::new(rolled_back.participant());
    assert!(inbox.first_delivery(HANDLER, event).await.unwrap());

    let waiting = {
        let outbox = outbox.clone();
        tokio::spawn(async move { first_delivery(&outbox, HANDLER, event).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "the second delivery waits on the key"
    );
    drop(inbox);
    drop(rolled_back);

    let first = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("the rolled-back transaction still holds the key")
        .unwrap();
    assert!(first);
}
