use accounts_contracts::SessionId;

use crate::ports::AccessToken;

/// What logging in and refreshing answer: an access token of the session, and the refresh
/// token that renews it once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTokens {
    pub session_id: SessionId,
    pub access: AccessToken,
    pub refresh_token: String,
}
