use sea_orm_migration::prelude::*;

/// An index on the events not yet delivered, by aggregate: what every Unit of Work asks before
/// it delivers its events (has this aggregate an earlier event still undelivered?), and what
/// the relay asks of every event it claims. With only `(aggregate_id, sequence)`, both read
/// every event an aggregate ever had, so a command got slower as its project's history grew
/// (docs/benchmarks.md); the undelivered rows stay few however many are delivered.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX event_outbox_undelivered_idx ON event_outbox \
                 (aggregate_id, sequence) WHERE status <> 'delivered'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX event_outbox_undelivered_idx")
            .await?;
        Ok(())
    }
}
