use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountsUsers::Table)
                    .col(
                        ColumnDef::new(AccountsUsers::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    // As the user typed it, for display.
                    .col(
                        ColumnDef::new(AccountsUsers::Email)
                            .string_len(254)
                            .not_null(),
                    )
                    // Lower-cased: what addresses are compared and kept unique by.
                    .col(
                        ColumnDef::new(AccountsUsers::EmailCanonical)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountsUsers::PasswordHash)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountsUsers::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("accounts_users_email_canonical_key")
                    .table(AccountsUsers::Table)
                    .col(AccountsUsers::EmailCanonical)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountsUsers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountsUsers {
    Table,
    Id,
    Email,
    EmailCanonical,
    PasswordHash,
    CreatedAt,
}
