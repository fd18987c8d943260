//! A session: one login, and the chain of refresh tokens it is renewed with (RFC 9700,
//! section 4.14.2: refresh-token rotation with reuse detection).

use accounts_contracts::{SessionEndReason, SessionEnded, SessionId, SessionStarted};
use chrono::{DateTime, Duration, Utc};
use shared_kernel_domain::{AggregateRoot, DomainEvents, UserId};

use crate::RefreshTokenHash;

/// The most of a client's `User-Agent` a session keeps: enough to tell devices apart.
pub const USER_AGENT_MAX_CHARS: usize = 256;

/// A user's session: the accounts context's second aggregate root.
///
/// It holds the digest of the one refresh token that may renew it now. Exchanging that token
/// replaces it; presenting one it replaced before means two parties hold the chain, and the
/// session ends for both. A session that is not renewed within its lifetime expires.
#[derive(Debug, Clone)]
pub struct Session {
    id: SessionId,
    user_id: UserId,
    refresh_token: RefreshTokenHash,
    user_agent: Option<String>,
    created_at: DateTime<Utc>,
    last_used_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    events: DomainEvents,
}

/// A session as stored, for a repository to rebuild it from.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub id: SessionId,
    pub user_id: UserId,
    pub refresh_token: RefreshTokenHash,
    pub user_agent: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// Why a refresh token did not renew its session. One answer to the client for all of them
/// (`invalid_grant`), but each means something else here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefreshRefused {
    #[error("the session has ended")]
    Ended,
    #[error("the session has expired")]
    Expired,
    /// The token was already exchanged: the session has just ended (`ReuseDetected`).
    #[error("the refresh token was already used; the session is revoked")]
    Reused,
}

impl Session {
    /// A new session for `user_id`, renewable with `refresh_token` for `lifetime`: records
    /// `SessionStarted`.
    pub fn start(
        id: SessionId,
        user_id: UserId,
        refresh_token: RefreshTokenHash,
        user_agent: Option<&str>,
        now: DateTime<Utc>,
        lifetime: Duration,
    ) -> Self {
        let mut session = Self::restore(StoredSession {
            id,
            user_id,
            refresh_token,
            user_agent: user_agent.map(clip_user_agent).filter(|ua| !ua.is_empty()),
            created_at: now,
            last_used_at: now,
            expires_at: now + lifetime,
            ended_at: None,
        });
        session.events.record(SessionStarted {
            session_id: id,
            user_id,
            occurred_at: now,
        });
        session
    }

    /// A session as stored, with nothing to announce.
    pub fn restore(stored: StoredSession) -> Self {
        Self {
            id: stored.id,
            user_id: stored.user_id,
            refresh_token: stored.refresh_token,
            user_agent: stored.user_agent,
            created_at: stored.created_at,
            last_used_at: stored.last_used_at,
            expires_at: stored.expires_at,
            ended_at: stored.ended_at,
            events: DomainEvents::default(),
        }
    }

    /// Exchanges `presented`, which must be the session's current refresh token, for `next`,
    /// and gives the session `lifetime` more from `now`.
    ///
    /// A token the session replaced before ends the session (`ReuseDetected`): whoever
    /// presents it, the thief or the user, the other one holds the chain too.
    pub fn refresh(
        &mut self,
        presented: &RefreshTokenHash,
        next: RefreshTokenHash,
        now: DateTime<Utc>,
        lifetime: Duration,
    ) -> Result<(), RefreshRefused> {
        if self.ended_at.is_some() {
            return Err(RefreshRefused::Ended);
        }
        if self.has_expired(now) {
            return Err(RefreshRefused::Expired);
        }
        if *presented != self.refresh_token {
            self.end(SessionEndReason::ReuseDetected, now);
            return Err(RefreshRefused::Reused);
        }
        self.refresh_token = next;
        self.last_used_at = now;
        self.expires_at = now + lifetime;
        Ok(())
    }

    /// Ends the session for `reason`. Returns whether it was still going: ending an ended or
    /// expired session changes nothing and records nothing.
    pub fn end(&mut self, reason: SessionEndReason, now: DateTime<Utc>) -> bool {
        if !self.is_active(now) {
            return false;
        }
        self.ended_at = Some(now);
        self.events.record(SessionEnded {
            session_id: self.id,
            user_id: self.user_id,
            reason,
            occurred_at: now,
        });
        true
    }

    /// Whether the session's tokens are still good at `now`.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.ended_at.is_none() && !self.has_expired(now)
    }

    fn has_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_at
    }

    pub fn id(&self) -> SessionId {
        self.id
    }

    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    pub fn refresh_token(&self) -> &RefreshTokenHash {
        &self.refresh_token
    }

    pub fn user_agent(&self) -> Option<&str> {
        self.user_agent.as_deref()
    }

    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    pub fn last_used_at(&self) -> DateTime<Utc> {
        self.last_used_at
    }

    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.ended_at
    }
}

impl AggregateRoot for Session {
    fn events(&self) -> &DomainEvents {
        &self.events
    }

    fn events_mut(&mut self) -> &mut DomainEvents {
        &mut self.events
    }
}

/// The first `USER_AGENT_MAX_CHARS` characters of `user_agent`, without control characters.
fn clip_user_agent(user_agent: &str) -> String {
    user_agent
        .chars()
        .filter(|c| !c.is_control())
        .take(USER_AGENT_MAX_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests;
