use sea_orm_migration::prelude::*;

/// The idempotency keys of keyed POSTs (docs/operations.md#idempotency-keys): one row per
/// owner and key, claimed while its request runs, then holding the answer to replay until it
/// expires. The purge reads the expiry index.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    // `user:<uuid>` or `address:<ip>`: whose key it is.
                    .col(
                        ColumnDef::new(IdempotencyKeys::Owner)
                            .string_len(64)
                            .not_null(),
                    )
                    // 1 to 255 printable ASCII characters.
                    .col(
                        ColumnDef::new(IdempotencyKeys::IdempotencyKey)
                            .string_len(255)
                            .not_null(),
                    )
                    // The digest of the request's method, path and body.
                    .col(
                        ColumnDef::new(IdempotencyKeys::Fingerprint)
                            .string_len(64)
                            .not_null(),
                    )
                    // While the request runs: its claim, and until when it holds (Unix ms).
                    .col(ColumnDef::new(IdempotencyKeys::Claim).uuid().null())
                    .col(ColumnDef::new(IdempotencyKeys::LeaseUntil).big_integer().null())
                    // Once it answered: the answer to replay.
                    .col(ColumnDef::new(IdempotencyKeys::AnswerStatus).integer().null())
                    // JSON text: `[[name, value], …]`.
                    .col(ColumnDef::new(IdempotencyKeys::AnswerHeaders).text().null())
                    .col(ColumnDef::new(IdempotencyKeys::AnswerBody).binary().null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // Unix milliseconds, as the outbox's schedule: an integer compares the same
                    // way on both databases.
                    .col(
                        ColumnDef::new(IdempotencyKeys::ExpiresAt)
                            .big_integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::Owner)
                            .col(IdempotencyKeys::IdempotencyKey),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idempotency_keys_expires_at_idx")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Owner,
    IdempotencyKey,
    Fingerprint,
    Claim,
    LeaseUntil,
    AnswerStatus,
    AnswerHeaders,
    AnswerBody,
    CreatedAt,
    ExpiresAt,
}
