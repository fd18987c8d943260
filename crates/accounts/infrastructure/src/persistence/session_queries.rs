use accounts_application::ports::{SessionQueries, SessionView};
use accounts_contracts::SessionId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use platform_database::{DatabaseRow, ReadConnection};
use sea_orm::{ColumnTrait, DerivePartialModel, EntityTrait, QueryFilter, QueryOrder};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::UserId;

use super::session_entities::session::{Column, Entity as Sessions};

/// The read side of sessions, straight from `accounts_sessions`.
pub struct SeaOrmSessionQueries {
    database: ReadConnection,
}

impl SeaOrmSessionQueries {
    pub fn new(database: ReadConnection) -> Self {
        Self { database }
    }
}

#[derive(DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "Sessions")]
struct SessionRow {
    id: uuid::Uuid,
    created_at: DateTime<Utc>,
    last_used_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    user_agent: Option<String>,
}

#[derive(DerivePartialModel, DatabaseRow)]
#[sea_orm(entity = "Sessions")]
struct SessionIdRow {
    #[allow(dead_code)] // Selected so that the row exists; only its presence is read.
    id: uuid::Uuid,
}

#[async_trait]
impl SessionQueries for SeaOrmSessionQueries {
    async fn active_sessions(
        &self,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionView>, InfrastructureError> {
        let query = Sessions::find()
            .filter(Column::UserId.eq(user.as_uuid()))
            .filter(Column::EndedAt.is_null())
            .filter(Column::ExpiresAt.gt(now))
            .order_by_desc(Column::Id);
        let rows: Vec<SessionRow> = self
            .database
            .all("listing a user's sessions", query)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| SessionView {
                id: SessionId::from_uuid(row.id),
                created_at: row.created_at,
                last_used_at: row.last_used_at,
                expires_at: row.expires_at,
                user_agent: row.user_agent,
            })
            .collect())
    }

    async fn is_active(
        &self,
        user: UserId,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> Result<bool, InfrastructureError> {
        let query = Sessions::find_by_id(session.as_uuid())
            .filter(Column::UserId.eq(user.as_uuid()))
            .filter(Column::EndedAt.is_null())
            .filter(Column::ExpiresAt.gt(now));
        let row: Option<SessionIdRow> = self
            .database
            .one("checking that a session is going", query)
            .await?;
        Ok(row.is_some())
    }
}
