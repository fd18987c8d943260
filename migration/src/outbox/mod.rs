//! The platform's tables, which every context writes through `platform-outbox`: the outbox of
//! recorded events, the inbox of events each handler has processed, and the idempotency keys
//! of keyed requests.

use sea_orm_migration::MigrationTrait;

mod m20261121_000003_create_event_outbox_and_inbox;
mod m20261201_000005_index_undelivered_events;
mod m20261201_000008_add_request_id_to_outbox;
mod m20261201_000009_index_rows_to_purge;
mod m20261201_000011_create_idempotency_keys;

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261121_000003_create_event_outbox_and_inbox::Migration),
        Box::new(m20261201_000005_index_undelivered_events::Migration),
        Box::new(m20261201_000008_add_request_id_to_outbox::Migration),
        Box::new(m20261201_000009_index_rows_to_purge::Migration),
        Box::new(m20261201_000011_create_idempotency_keys::Migration),
    ]
}
