//! `OutboxAdmin`: what `api outbox list|retry` does.

use platform_database::testing::{Backend, Postgres, Sqlite};
use platform_outbox::{OutboxAdmin, OutboxFilter};
use rstest::rstest;
use serde_json::json;
use shared_kernel_application::EventId;

use crate::support::{
    EVENT_TYPE, Fixture, Given, TestPublisher, ids, millis, now, seconds, user_created,
};

/// One event in each state, in this recording order: pending, dead, delivered, dead, pending.
struct Arranged {
    outbox: Fixture,
    pending: [EventId; 2],
    dead: [EventId; 2],
    delivered: EventId,
}

async fn arranged(backend: Backend) -> Arranged {
    let outbox = Fixture::on(backend, TestPublisher::handling()).await;
    let at = now();
    let pending_0 = outbox
        .given(
            &user_created(),
            Given::pending(at + seconds(60)).attempts(2),
        )
        .await;
    let dead_0 = outbox.given(&user_created(), Given::dead(at)).await;
    let delivered = outbox.given(&user_created(), Given::delivered(at)).await;
    let dead_1 = outbox.given(&user_created(), Given::dead(at)).await;
    let pending_1 = outbox.given(&user_created(), Given::pending(at)).await;
    Arranged {
        outbox,
        pending: [pending_0, pending_1],
        dead: [dead_0, dead_1],
        delivered,
    }
}

async fn list(admin: &OutboxAdmin, filter: OutboxFilter, limit: u64) -> Vec<EventId> {
    admin
        .list(filter, limit)
        .await
        .unwrap()
        .iter()
        .map(|entry| EventId::from_uuid(entry.event_id))
        .collect()
}

#[rstest]
#[tokio::test]
async fn the_list_shows_the_events_a_filter_selects_in_recording_order(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let Arranged {
        outbox,
        pending,
        dead,
        delivered,
    } = arranged(backend).await;
    let admin = outbox.admin();

    assert_eq!(list(&admin, OutboxFilter::Dead, 10).await, dead);
    assert_eq!(list(&admin, OutboxFilter::Pending, 10).await, pending);
    assert_eq!(
        list(&admin, OutboxFilter::All, 10).await,
        vec![pending[0], dead[0], delivered, dead[1], pending[1]]
    );
    assert_eq!(list(&admin, OutboxFilter::Dead, 1).await, dead[..1]);
    assert_eq!(
        list(&admin, OutboxFilter::All, 2).await,
        vec![pending[0], dead[0]]
    );

    let entries = admin.list(OutboxFilter::All, 10).await.unwrap();
    assert!(entries.windows(2).all(|w| w[0].sequence < w[1].sequence));
    let dead_entry = &entries[1];
    assert_eq!(dead_entry.status, "dead");
    assert_eq!(dead_entry.attempts, 10);
    assert_eq!(
        dead_entry.last_error.as_deref(),
        Some("the handler is down")
    );
    assert_eq!(entries[0].attempts, 2);
}

#[rstest]
#[tokio::test]
async fn requeueing_chosen_events_puts_only_those_dead_ones_back_in_the_queue(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let Arranged {
        outbox,
        pending,
        dead,
        delivered,
    } = arranged(backend).await;
    let before = outbox.rows().await;
    let at = now();

    let requeued = outbox
        .admin()
        .requeue(
            Some(&[dead[1].as_uuid(), pending[0].as_uuid(), delivered.as_uuid()]),
            at,
        )
        .await
        .unwrap();

    assert_eq!(requeued, 1);
    let row = outbox.row(dead[1]).await;
    assert_eq!(row.status, "pending");
    assert_eq!(row.attempts, 0);
    assert_eq!(row.available_at, millis(at));
    assert_eq!(row.claimed_by, None);
    for untouched in [pending[0], pending[1], dead[0], delivered] {
        let row = outbox.row(untouched).await;
        assert_eq!(
            Some(&row),
            before.iter().find(|r| r.event_id == row.event_id),
            "{untouched}"
        );
    }
    // Back in the queue, due at once.
    assert_eq!(ids(&outbox.claim(at, 10).await), vec![dead[1], pending[1]]);
}

#[rstest]
#[tokio::test]
async fn requeueing_an_empty_choice_requeues_nothing(#[values(Sqlite, Postgres)] backend: Backend) {
    let Arranged { outbox, .. } = arranged(backend).await;
    let before = outbox.rows().await;

    let requeued = outbox.admin().requeue(Some(&[]), now()).await.unwrap();

    assert_eq!(requeued, 0);
    assert_eq!(outbox.rows().await, before);
}

#[rstest]
#[tokio::test]
async fn requeueing_everything_puts_every_dead_event_back_in_the_queue(
    #[values(Sqlite, Postgres)] backend: Backend,
) {
    let Arranged {
        outbox,
        pending,
        dead,
        delivered,
    } = arranged(backend).await;
    let before = outbox.rows().await;
    let at = now();

    let requeued = outbox.admin().requeue(None, at).await.unwrap();

    assert_eq!(requeued, 2);
    for id in dead {
        let row = outbox.row(id).await;
        assert_eq!((row.status.as_str(), row.attempts), ("pending", 0));
        assert_eq!(row.available_at, millis(at));
    }
    for untouched in [pending[0], pending[1], delivered] {
        let row = outbox.row(untouched).await;
        assert_eq!(
            Some(&row),
            before.iter().find(|r| r.event_id == row.event_id)
        );
    }
    assert!(
        outbox
            .admin()
            .list(OutboxFilter::Dead, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[rstest]
#[tokio::test]
async fn an_entry_reads_as_its_documented_envelope(#[values(Sqlite, Postgres)] backend: Backend) {
    let outbox = Fixture::on(backend, TestPublisher::without_handlers()).await;
    let event = user_created();
    outbox.record(std::slice::from_ref(&event)).await;

    let entries = outbox.admin().list(OutboxFilter::All, 10).await.unwrap();

    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].envelope(),
        json!({
            "id": entries[0].event_id,
            "type": EVENT_TYPE,
            "version": 1,
            "aggregateId": event.user_id.as_uuid(),
            "occurredAt": event
                .occurred_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "payload": {
                "userId": event.user_id.as_uuid(),
                "email": "ada@example.com",
            },
        })
    );
    assert!(
        entries[0].envelope()["occurredAt"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
}
