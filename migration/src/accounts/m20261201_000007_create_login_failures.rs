use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The failed logins the brute-force limits count (docs/security.md). `account` is the
/// canonical email a client typed, registered or not, so no foreign key.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountsLoginFailures::Table)
                    .col(
                        ColumnDef::new(AccountsLoginFailures::Account)
                            .string_len(254)
                            .not_null(),
                    )
                    // An IPv4 or IPv6 address as text.
                    .col(
                        ColumnDef::new(AccountsLoginFailures::Address)
                            .string_len(45)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountsLoginFailures::Consecutive)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountsLoginFailures::LastFailureAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(AccountsLoginFailures::Account)
                            .col(AccountsLoginFailures::Address),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccountsLoginFailureHours::Table)
                    .col(
                        ColumnDef::new(AccountsLoginFailureHours::Account)
                            .string_len(254)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AccountsLoginFailureHours::Failures)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountsLoginFailureHours::StartedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountsLoginFailureHours::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AccountsLoginFailures::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountsLoginFailures {
    Table,
    Account,
    Address,
    Consecutive,
    LastFailureAt,
}

#[derive(DeriveIden)]
enum AccountsLoginFailureHours {
    Table,
    Account,
    Failures,
    StartedAt,
}
