use std::net::IpAddr;

use accounts_application::ports::LoginFailures;
use accounts_domain::{ACCOUNT_WINDOW, FailureRecord};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use platform_database::{ReadConnection, WriteConnection};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shared_kernel_application::InfrastructureError;

use super::login_failure_entities::{hour, in_a_row};

const RECORDING: &str = "recording a failed login";

/// Failed logins in two tables: per account and address in a row, and per account in its
/// current hour. Each failure is two upserts in one transaction, so that concurrent failures
/// all count, on any instance.
pub struct SeaOrmLoginFailures {
    reads: ReadConnection,
    writes: WriteConnection,
}

impl SeaOrmLoginFailures {
    pub fn new(reads: ReadConnection, writes: WriteConnection) -> Self {
        Self { reads, writes }
    }
}

#[async_trait]
impl LoginFailures for SeaOrmLoginFailures {
    async fn record_of(
        &self,
        account: &str,
        address: IpAddr,
    ) -> Result<FailureRecord, InfrastructureError> {
        let pair: Option<in_a_row::Model> = self
            .reads
            .one(
                "reading an address's failed logins",
                in_a_row::Entity::find_by_id((account.to_owned(), address.to_string())),
            )
            .await?;
        let hour: Option<hour::Model> = self
            .reads
            .one(
                "reading an account's failed logins",
                hour::Entity::find_by_id(account.to_owned()),
            )
            .await?;
        Ok(FailureRecord {
            consecutive: pair
                .as_ref()
                .map_or(0, |pair| u32::try_from(pair.consecutive).unwrap_or(0)),
            last_failure_at: pair.map(|pair| pair.last_failure_at),
            in_window: hour
                .as_ref()
                .map_or(0, |hour| u32::try_from(hour.failures).unwrap_or(0)),
            window_started_at: hour.map(|hour| hour.started_at),
        })
    }

    async fn add_failure(
        &self,
        account: &str,
        address: IpAddr,
        now: DateTime<Utc>,
    ) -> Result<(), InfrastructureError> {
        let pair = in_a_row::Entity::insert(in_a_row::ActiveModel {
            account: Set(account.to_owned()),
            address: Set(address.to_string()),
            consecutive: Set(1),
            last_failure_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([in_a_row::Column::Account, in_a_row::Column::Address])
                .value(
                    in_a_row::Column::Consecutive,
                    Expr::col((in_a_row::Entity, in_a_row::Column::Consecutive)).add(1),
                )
                .value(in_a_row::Column::LastFailureAt, now)
                .to_owned(),
        );
        // The hour starts over with this failure once it has run out.
        let started = Expr::col((hour::Entity, hour::Column::StartedAt));
        let expired = started.clone().lte(now - ACCOUNT_WINDOW);
        let hour = hour::Entity::insert(hour::ActiveModel {
            account: Set(account.to_owned()),
            failures: Set(1),
            started_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(hour::Column::Account)
                .value(
                    hour::Column::Failures,
                    Expr::case(expired.clone(), 1)
                        .finally(Expr::col((hour::Entity, hour::Column::Failures)).add(1)),
                )
                .value(
                    hour::Column::StartedAt,
                    Expr::case(expired, now).finally(started),
                )
                .to_owned(),
        );
        let during = || InfrastructureError::during(RECORDING);
        let transaction = self.writes.begin().await.map_err(during())?;
        transaction.execute(&pair).await.map_err(during())?;
        transaction.execute(&hour).await.map_err(during())?;
        transaction.commit().await.map_err(during())
    }

    async fn clear_consecutive(
        &self,
        account: &str,
        address: IpAddr,
    ) -> Result<(), InfrastructureError> {
        let delete = in_a_row::Entity::delete_many()
            .filter(in_a_row::Column::Account.eq(account))
            .filter(in_a_row::Column::Address.eq(address.to_string()));
        self.writes
            .execute_alone(&delete)
            .await
            .map_err(InfrastructureError::during("clearing failed logins"))?;
        Ok(())
    }
}
