use chrono::{DateTime, Utc};
use shared_kernel_domain::{DomainEvent, UserId};

use crate::SessionId;

/// A session ended before it expired: none of its tokens works any more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionEnded {
    pub session_id: SessionId,
    pub user_id: UserId,
    pub reason: SessionEndReason,
    pub occurred_at: DateTime<Utc>,
}

impl DomainEvent for SessionEnded {
    fn event_type(&self) -> &'static str {
        "accounts.SessionEnded"
    }

    fn occurred_at(&self) -> DateTime<Utc> {
        self.occurred_at
    }
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionEndReason {
    /// Its user logged out of it.
    Logout,
    /// Its user ended it from another session, or revoked one of its tokens (RFC 7009).
    Revoked,
    /// A refresh token of it that had already been exchanged was presented again: someone
    /// holds a copy (RFC 9700, section 4.14.2).
    ReuseDetected,
    /// Its user changed their password from another session.
    PasswordChanged,
}

impl SessionEndReason {
    pub const ALL: [Self; 4] = [
        Self::Logout,
        Self::Revoked,
        Self::ReuseDetected,
        Self::PasswordChanged,
    ];

    /// Its name in snake_case, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::Revoked => "revoked",
            Self::ReuseDetected => "reuse_detected",
            Self::PasswordChanged => "password_changed",
        }
    }

    /// The reason named `name` (`as_str`'s inverse).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_from_its_name() {
        for reason in SessionEndReason::ALL {
            assert_eq!(SessionEndReason::from_name(reason.as_str()), Some(reason));
        }
        assert_eq!(SessionEndReason::from_name("bored"), None);
    }
}
