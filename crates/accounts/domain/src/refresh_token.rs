use std::fmt;

/// What is stored of a refresh token: a digest, never the token itself, so that a copy of the
/// table gives nobody a working token. The token is 256 random bits, so a fast digest is as
/// good as a slow one: there is nothing to guess.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RefreshTokenHash(String);

impl RefreshTokenHash {
    pub fn new(digest: impl Into<String>) -> Self {
        Self(digest.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Short, so that a log line or a failed assertion never prints a whole digest.
impl fmt::Debug for RefreshTokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start = self.0.get(..8).unwrap_or(&self.0);
        write!(f, "RefreshTokenHash({start}…)")
    }
}
