use sea_orm_migration::prelude::*;

/// The id of the request whose command recorded each event (`X-Request-Id`), so that the
/// handlers' log lines name the request that caused them, even when the relay delivers the
/// event long after the request ended. Empty for events recorded outside a request (the
/// seed, the relay's own handlers' events when no request caused them).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EventOutbox {
    Table,
    RequestId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(EventOutbox::Table)
                    .add_column(ColumnDef::new(EventOutbox::RequestId).string_len(64).null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(EventOutbox::Table)
                    .drop_column(EventOutbox::RequestId)
                    .to_owned(),
            )
            .await
    }
}
