use sea_orm_migration::prelude::*;

/// The indexes the retention purge reads (docs/events.md#retention): the delivered events by
/// delivery time, and the inbox rows by processing time. Without them each batch of the purge
/// would scan the whole table, and on SQLite it does so holding the one write lock. The
/// outbox's index is partial: it holds the delivered rows only, which are the ones the purge
/// may delete. Each costs one index entry per event delivered or handled.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        connection
            .execute_unprepared(
                "CREATE INDEX event_outbox_delivered_idx ON event_outbox (delivered_at) \
                 WHERE status = 'delivered'",
            )
            .await?;
        connection
            .execute_unprepared(
                "CREATE INDEX event_inbox_processed_at_idx ON event_inbox (processed_at)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        connection
            .execute_unprepared("DROP INDEX event_inbox_processed_at_idx")
            .await?;
        connection
            .execute_unprepared("DROP INDEX event_outbox_delivered_idx")
            .await?;
        Ok(())
    }
}
