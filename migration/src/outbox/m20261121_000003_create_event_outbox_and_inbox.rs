use sea_orm_migration::prelude::*;

/// The outbox (every recorded event, written in the transaction that recorded it) and the
/// inbox (which handler has processed which event). docs/events.md describes both.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    // Recording order: the order in which one aggregate's events are handled.
                    .col(
                        ColumnDef::new(Outbox::Sequence)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Outbox::EventId)
                            .uuid()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Outbox::EventType).string_len(100).not_null())
                    .col(ColumnDef::new(Outbox::EventVersion).integer().not_null())
                    .col(ColumnDef::new(Outbox::AggregateId).uuid().not_null())
                    .col(
                        ColumnDef::new(Outbox::OccurredAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // JSON text, the same on both databases.
                    .col(ColumnDef::new(Outbox::Payload).text().not_null())
                    .col(
                        ColumnDef::new(Outbox::RecordedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // pending | delivered | dead
                    .col(ColumnDef::new(Outbox::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Outbox::Attempts).integer().not_null())
                    // Unix milliseconds: when the event is next due (its retry time, or the end
                    // of the claim on it). An integer compares the same way everywhere.
                    .col(ColumnDef::new(Outbox::AvailableAt).big_integer().not_null())
                    .col(ColumnDef::new(Outbox::ClaimedBy).uuid().null())
                    .col(ColumnDef::new(Outbox::LastError).text().null())
                    .col(
                        ColumnDef::new(Outbox::DeliveredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        // "Is an earlier event of this aggregate still undelivered?"
        manager
            .create_index(
                Index::create()
                    .name("event_outbox_aggregate_id_sequence_idx")
                    .table(Outbox::Table)
                    .col(Outbox::AggregateId)
                    .col(Outbox::Sequence)
                    .to_owned(),
            )
            .await?;
        // The relay's scan: only the pending rows, which stay few however many are delivered.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX event_outbox_pending_idx ON event_outbox (available_at, sequence) \
                 WHERE status = 'pending'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Inbox::Table)
                    .col(ColumnDef::new(Inbox::Handler).string_len(100).not_null())
                    .col(ColumnDef::new(Inbox::EventId).uuid().not_null())
                    .col(
                        ColumnDef::new(Inbox::ProcessedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(Inbox::Handler).col(Inbox::EventId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Inbox::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    #[sea_orm(iden = "event_outbox")]
    Table,
    Sequence,
    EventId,
    EventType,
    EventVersion,
    AggregateId,
    OccurredAt,
    Payload,
    RecordedAt,
    Status,
    Attempts,
    AvailableAt,
    ClaimedBy,
    LastError,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum Inbox {
    #[sea_orm(iden = "event_inbox")]
    Table,
    Handler,
    EventId,
    ProcessedAt,
}
