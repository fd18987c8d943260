//! `TransactionScope::commit` writing the recorded events to the outbox and delivering them.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta};
use platform_database::testing::{Backend, Postgres, Sqlite};
use platform_outbox::delivery::RetryPolicy;
use rstest::rstest;
use serde_json::{Value, json};
use shared_kernel_infrastructure::SystemClock;
use tokio::sync::Notify;

use crate::support::{
    EVENT_TYPE, Fixture, Publication, TestPublisher, ids, millis, next_event_of, now, seconds,
    user_created,
};

#[rstest]
#[tokio::test]
async fn committed_events_are_stored_in_recording_order_with_their_documented_columns(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = Fixture::on(backend, TestPublisher::without_handlers()).await;
    let (ada, grace) = (user_created(), user_created());
    let before = now();

    outbox.record(&[ada.clone(), grace.clone()]).await;

    let rows = outbox.rows().await;
    assert_eq!(rows.len(), 2);
    assert!(rows[0].sequence < rows[1].sequence);
    assert_ne!(rows[0].event_id, rows[1].event_id);
    for (row, event) in rows.iter().zip([&ada, &grace]) {
        assert_eq!(row.event_type, EVENT_TYPE);
        assert_eq!(row.event_version, 1);
        assert_eq!(row.aggregate_id, event.user_id.as_uuid());
        assert_eq!(row.occurred_at, event.occurred_at);
        assert_eq!(
            serde_json::from_str::<Value>(&row.payload).unwrap(),
            json!({ "userId": event.user_id.as_uuid(), "email": "ada@example.com" })
        );
        assert!(row.recorded_at >= before && row.recorded_at <= now());
        assert_eq!(row.attempts, 0);
        assert_eq!(row.last_error, None);
    }
}

#[rstest]
#[tokio::test]
async fn an_event_nobody_handles_is_stored_as_delivered(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = Fixture::on(backend, TestPublisher::without_handlers()).await;

    outbox.record(&[user_created()]).await;

    let row = &outbox.rows().await[0];
    assert_eq!(row.status, "delivered");
    assert_eq!(row.delivered_at, Some(row.recorded_at));
    assert_eq!(row.claimed_by, None);
    assert!(outbox.publisher.publications().is_empty());
    assert!(outbox.claim(now() + seconds(3600), 10).await.is_empty());
}

#[rstest]
#[tokio::test]
async fn a_handled_event_is_delivered_right_after_the_commit(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = Fixture::on(backend, TestPublisher::handling()).await;
    let event = user_created();
    let before = now();

    outbox.record(std::slice::from_ref(&event)).await;

    let row = &outbox.rows().await[0];
    assert_eq!(
        outbox.publisher.publications(),
        vec![Publication {
            event_id: row.id(),
            user_id: event.user_id,
            succeeded: true,
            committed: Some(true),
        }]
    );
    assert_eq!(row.status, "delivered");
    assert!(
        row.delivered_at
            .is_some_and(|at| at >= before && at <= now())
    );
    assert_eq!((row.attempts, row.claimed_by), (0, None));
    assert_eq!(row.last_error, None);
}

#[rstest]
#[tokio::test]
async fn the_one_handler_of_an_event_marks_it_delivered_in_its_own_transaction(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = Fixture::on(backend, TestPublisher::handling().alone()).await;
    outbox.publisher.commit_through(&outbox);
    let before = now();

    outbox.record(&[user_created()]).await;

    assert_eq!(outbox.publisher.seen_after_commit(), ["delivered"]);
    let row = &outbox.rows().await[0];
    assert_eq!((row.status.as_str(), row.claimed_by), ("delivered", None));
    assert!(
        row.delivered_at
            .is_some_and(|at| at >= before && at <= now())
    );
}

#[rstest]
#[tokio::test]
async fn a_sole_handler_that_commits_nothing_leaves_the_event_to_be_marked_after_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    // As a handler does when its inbox has seen the event.
    let outbox = Fixture::on(backend, TestPublisher::handling().alone()).await;

    outbox.record(&[user_created()]).await;

    let row = &outbox.rows().await[0];
    assert_eq!((row.status.as_str(), row.claimed_by), ("delivered", None));
}

#[rstest]
#[tokio::test]
async fn an_event_with_several_handlers_is_marked_delivered_after_all_of_them(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = Fixture::on(backend, TestPublisher::handling()).await;
    outbox.publisher.commit_through(&outbox);

    outbox.record(&[user_created()]).await;

    assert_eq!(outbox.publisher.seen_after_commit(), ["pending"]);
    assert_eq!(outbox.rows().await[0].status, "delivered");
}

#[rstest]
#[tokio::test]
async fn a_sole_handler_whose_unit_of_work_rolls_back_leaves_the_event_to_its_retry(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = Fixture::on(backend, TestPublisher::handling().alone()).await;
    outbox.publisher.commit_through(&outbox);
    outbox.publisher.fail_next(1);

    outbox.record(&[user_created()]).await;

    let row = &outbox.rows().await[0];
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert_eq!(row.claimed_by, None);
    assert!(outbox.publisher.seen_after_commit().is_empty());
}

#[rstest]
#[tokio::test]
async fn a_scope_dropped_without_commit_leaves_no_event(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = Fixture::on(backend, TestPublisher::handling()).await;

    let scope = outbox.begin().await;
    scope
        .participant()
        .record_events(vec![Arc::new(user_created())]);
    drop(scope);

    assert!(outbox.rows().await.is_empty());
    assert!(outbox.publisher.publications().is_empty());
    // The rolled-back transaction let go of the database: the next one commits.
    outbox.record(&[user_created()]).await;
    assert_eq!(outbox.rows().await.len(), 1);
}

#[rstest]
#[tokio::test]
async fn an_event_whose_delivery_fails_after_the_commit_waits_for_its_retry(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = Fixture::on(backend, TestPublisher::handling()).await;
    outbox.publisher.fail_next(1);
    let before = now();

    outbox.record(&[user_created()]).await;

    let after = now();
    let row = &outbox.rows().await[0];
    assert_eq!(outbox.publisher.publications().len(), 1);
    assert_eq!(row.status, "pending");
    assert_eq!(row.attempts, 1);
    assert!(
        row.last_error
            .as_deref()
            .is_some_and(|error| error.contains("the handler is down")),
        "{:?}",
        row.last_error
    );
    assert_eq!(row.claimed_by, None);
    assert_eq!(row.delivered_at, None);
    // The default policy retries a first failure one second later.
    assert!(
        row.available_at >= millis(before + seconds(1))
            && row.available_at <= millis(after + seconds(1)),
        "available_at {} is not a second after the delivery",
        row.available_at
    );
    let retry_at = DateTime::from_timestamp_millis(row.available_at).unwrap();
    assert!(
        outbox
            .claim(retry_at - TimeDelta::milliseconds(1), 10)
            .await
            .is_empty()
    );
    assert_eq!(ids(&outbox.claim(retry_at, 10).await), vec![row.id()]);
}

#[rstest]
#[tokio::test]
async fn an_event_behind_an_undelivered_event_of_its_aggregate_is_left_to_the_relay(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = Fixture::on(backend, TestPublisher::handling()).await;
    let first = user_created();
    outbox.publisher.fail_next(1);
    outbox.record(std::slice::from_ref(&first)).await;

    // In one commit: an event behind the undelivered one, and another aggregate's event,
    // which is not held up.
    let second = next_event_of(&first);
    let other = user_created();
    outbox.record(&[second, other]).await;

    let rows = outbox.rows().await;
    assert_eq!(rows[1].aggregate_id, first.user_id.as_uuid());
    assert_eq!(rows[1].status, "pending");
    assert_eq!((rows[1].attempts, rows[1].claimed_by), (0, None));
    assert!(rows[1].available_at <= millis(now()), "due at once");
    assert_eq!(outbox.publisher.delivered(), vec![rows[2].id()]);
    assert_eq!(rows[2].status, "delivered");
    assert_eq!(
        outbox.publisher.publications().len(),
        2,
        "the first, then the other"
    );
}

#[rstest]
#[tokio::test]
async fn events_after_one_that_fails_in_the_same_commit_are_held_back_for_the_relay(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let outbox = Fixture::on(backend, TestPublisher::handling()).await;
    let first = user_created();
    outbox.publisher.fail_next(1);

    outbox.record(&[first.clone(), next_event_of(&first)]).await;

    let rows = outbox.rows().await;
    assert_eq!(outbox.publisher.publications().len(), 1, "only the first");
    assert_eq!((rows[0].status.as_str(), rows[0].attempts), ("pending", 1));
    assert_eq!((rows[1].status.as_str(), rows[1].attempts), ("pending", 0));
    assert_eq!(rows[1].claimed_by, None);
    assert!(
        rows[1].available_at <= millis(now()),
        "its claim is given back"
    );
    // The relay takes neither before the first one's retry time, then only the first: the
    // second waits until it is delivered.
    assert!(outbox.claim(now(), 10).await.is_empty());
    let retry_at = DateTime::from_timestamp_millis(rows[0].available_at).unwrap();
    assert_eq!(ids(&outbox.claim(retry_at, 10).await), vec![rows[0].id()]);
}

#[rstest]
#[tokio::test]
async fn the_relay_is_woken_when_events_are_left_to_it(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let mut outbox = Fixture::on(backend, TestPublisher::handling()).await;
    let relay = Arc::new(Notify::new());
    let delivery = outbox.delivery(Arc::new(SystemClock), RetryPolicy::default());
    outbox.deliver_with(delivery, relay.clone());
    let woken = || {
        let relay = relay.clone();
        async move {
            tokio::time::timeout(Duration::from_millis(100), relay.notified())
                .await
                .is_ok()
        }
    };

    outbox.record(&[user_created()]).await;
    assert!(!woken().await, "nothing was left to the relay");

    let failing = user_created();
    outbox.publisher.fail_next(1);
    outbox.record(std::slice::from_ref(&failing)).await;
    assert!(woken().await, "a failed delivery is the relay's to retry");

    outbox.record(&[next_event_of(&failing)]).await;
    assert!(
        woken().await,
        "an event behind an undelivered one is the relay's"
    );
}
