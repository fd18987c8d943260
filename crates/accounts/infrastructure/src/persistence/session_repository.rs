use accounts_application::ports::SessionRepository;
use accounts_contracts::SessionId;
use accounts_domain::{RefreshTokenHash, Session};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use platform_outbox::TransactionParticipant;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::{AggregateRoot, UserId};

use super::session_entities::{refresh_token, session};
use super::session_mapper::current_token_row;

/// Sessions, loaded (and locked: `SELECT … FOR UPDATE` on PostgreSQL, SQLite's writers take
/// turns anyway) and saved through the transaction of the Unit of Work that owns this
/// repository. Saving a session also records its current refresh token in
/// `accounts_refresh_tokens`, which keeps every token a session was given, so that one
/// presented again after its exchange still leads to its session.
pub struct SeaOrmSessionRepository {
    pub(super) transaction: TransactionParticipant,
}

impl SeaOrmSessionRepository {
    async fn record_current_token(&self, session: &Session) -> Result<(), InfrastructureError> {
        let insert = refresh_token::Entity::insert(current_token_row(session)).on_conflict(
            OnConflict::column(refresh_token::Column::TokenHash)
                .do_nothing()
                .to_owned(),
        );
        self.transaction
            .transaction()
            .execute(&insert)
            .await
            .map_err(InfrastructureError::during("recording a refresh token"))?;
        Ok(())
    }
}

#[async_trait]
impl SessionRepository for SeaOrmSessionRepository {
    async fn get(&self, id: SessionId) -> Result<Option<Session>, InfrastructureError> {
        let query = session::Entity::find_by_id(id.as_uuid()).lock_exclusive();
        Ok(self
            .transaction
            .transaction()
            .find_unique::<_, session::Model>(query)
            .await
            .map_err(InfrastructureError::during("loading a session"))?
            .map(Session::from))
    }

    async fn find_by_refresh_token(
        &self,
        token: &RefreshTokenHash,
    ) -> Result<Option<Session>, InfrastructureError> {
        let row = self
            .transaction
            .transaction()
            .find_unique::<_, refresh_token::Model>(refresh_token::Entity::find_by_id(
                token.as_str(),
            ))
            .await
            .map_err(InfrastructureError::during("looking up a refresh token"))?;
        match row {
            Some(row) => self.get(SessionId::from_uuid(row.session_id)).await,
            None => Ok(None),
        }
    }

    async fn active_of_user(
        &self,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Session>, InfrastructureError> {
        let query = session::Entity::find()
            .filter(session::Column::UserId.eq(user.as_uuid()))
            .filter(session::Column::EndedAt.is_null())
            .filter(session::Column::ExpiresAt.gt(now))
            .lock_exclusive();
        let rows: Vec<session::Model> = self
            .transaction
            .transaction()
            .all(query)
            .await
            .map_err(InfrastructureError::during("loading a user's sessions"))?;
        Ok(rows.into_iter().map(Session::from).collect())
    }

    async fn add(&self, session: &mut Session) -> Result<(), InfrastructureError> {
        self.transaction
            .transaction()
            .execute(&session::Entity::insert(session::ActiveModel::from(
                &*session,
            )))
            .await
            .map_err(InfrastructureError::during("adding a session"))?;
        self.record_current_token(session).await?;
        self.transaction.record_events(session.take_events());
        Ok(())
    }

    async fn update(&self, session: &mut Session) -> Result<(), InfrastructureError> {
        let update = session::Entity::update_many()
            .set(session::ActiveModel::from(&*session).reset_all())
            .filter(session::Column::Id.eq(session.id().as_uuid()));
        let updated = self
            .transaction
            .transaction()
            .execute(&update)
            .await
            .map_err(InfrastructureError::during("updating a session"))?;
        if updated != 1 {
            return Err(InfrastructureError::new(
                "updating a session",
                "the session's row is gone",
            ));
        }
        self.record_current_token(session).await?;
        self.transaction.record_events(session.take_events());
        Ok(())
    }
}
