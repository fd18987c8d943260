use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountsSessions::Table)
                    .col(
                        ColumnDef::new(AccountsSessions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AccountsSessions::UserId).uuid().not_null())
                    // The digest of the one refresh token that renews the session now.
                    .col(
                        ColumnDef::new(AccountsSessions::RefreshTokenHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AccountsSessions::UserAgent).string_len(1024))
                    .col(
                        ColumnDef::new(AccountsSessions::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountsSessions::LastUsedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountsSessions::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AccountsSessions::EndedAt).timestamp_with_time_zone())
                    .foreign_key(
                        ForeignKey::create()
                            .name("accounts_sessions_user_id_fkey")
                            .from(AccountsSessions::Table, AccountsSessions::UserId)
                            .to(AccountsUsers::Table, AccountsUsers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A user's sessions, for the list and for ending them all.
        manager
            .create_index(
                Index::create()
                    .name("accounts_sessions_user_id_idx")
                    .table(AccountsSessions::Table)
                    .col(AccountsSessions::UserId)
                    .to_owned(),
            )
            .await?;
        // Every refresh token a session was ever given, current or exchanged: a token
        // presented again after its exchange is found here, and ends its session.
        manager
            .create_table(
                Table::create()
                    .table(AccountsRefreshTokens::Table)
                    .col(
                        ColumnDef::new(AccountsRefreshTokens::TokenHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AccountsRefreshTokens::SessionId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountsRefreshTokens::IssuedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("accounts_refresh_tokens_session_id_fkey")
                            .from(
                                AccountsRefreshTokens::Table,
                                AccountsRefreshTokens::SessionId,
                            )
                            .to(AccountsSessions::Table, AccountsSessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("accounts_refresh_tokens_session_id_idx")
                    .table(AccountsRefreshTokens::Table)
                    .col(AccountsRefreshTokens::SessionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountsRefreshTokens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AccountsSessions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountsUsers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AccountsSessions {
    Table,
    Id,
    UserId,
    RefreshTokenHash,
    UserAgent,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum AccountsRefreshTokens {
    Table,
    TokenHash,
    SessionId,
    IssuedAt,
}
