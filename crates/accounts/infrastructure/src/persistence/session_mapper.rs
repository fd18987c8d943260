//! Translates between the `Session` aggregate and rows of `accounts_sessions` and
//! `accounts_refresh_tokens`.

use accounts_contracts::SessionId;
use accounts_domain::{RefreshTokenHash, Session, StoredSession};
use sea_orm::ActiveValue::Set;
use shared_kernel_domain::UserId;

use super::session_entities::{refresh_token, session};

impl From<&Session> for session::ActiveModel {
    fn from(session: &Session) -> Self {
        session::ActiveModel {
            id: Set(session.id().as_uuid()),
            user_id: Set(session.user_id().as_uuid()),
            refresh_token_hash: Set(session.refresh_token().as_str().to_owned()),
            user_agent: Set(session.user_agent().map(str::to_owned)),
            created_at: Set(session.created_at()),
            last_used_at: Set(session.last_used_at()),
            expires_at: Set(session.expires_at()),
            ended_at: Set(session.ended_at()),
        }
    }
}

/// The row that says which session the session's current refresh token belongs to.
pub(super) fn current_token_row(session: &Session) -> refresh_token::ActiveModel {
    refresh_token::ActiveModel {
        token_hash: Set(session.refresh_token().as_str().to_owned()),
        session_id: Set(session.id().as_uuid()),
        issued_at: Set(session.last_used_at()),
    }
}

impl From<session::Model> for Session {
    fn from(row: session::Model) -> Self {
        Session::restore(StoredSession {
            id: SessionId::from_uuid(row.id),
            user_id: UserId::from_uuid(row.user_id),
            refresh_token: RefreshTokenHash::new(row.refresh_token_hash),
            user_agent: row.user_agent,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            expires_at: row.expires_at,
            ended_at: row.ended_at,
        })
    }
}
