use std::fmt;

/// A plain-text password that satisfies the password rules. It lives only as long as it takes
/// to hash or verify it, and never shows itself in logs.
#[derive(Clone)]
pub struct Password(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("must be at least {min} characters long")]
    TooShort { min: usize },
    /// bcrypt only looks at the first 72 bytes: a longer password is refused rather than
    /// silently truncated, which would make everything after byte 72 meaningless.
    #[error("must be at most {max_bytes} bytes long (UTF-8)")]
    TooLong { max_bytes: usize },
}

impl Password {
    pub const MIN_CHARACTERS: usize = 8;
    pub const MAX_BYTES: usize = 72;

    pub fn new(plain: impl Into<String>) -> Result<Self, PasswordError> {
        let plain = plain.into();
        if plain.chars().count() < Self::MIN_CHARACTERS {
            return Err(PasswordError::TooShort {
                min: Self::MIN_CHARACTERS,
            });
        }
        if plain.len() > Self::MAX_BYTES {
            return Err(PasswordError::TooLong {
                max_bytes: Self::MAX_BYTES,
            });
        }
        Ok(Self(plain))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The stored, salted hash of a password (a bcrypt string such as `$2b$12$…`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn new(hash: impl Into<String>) -> Self {
        Self(hash.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_eight_characters() {
        assert!(Password::new("12345678").is_ok());
    }

    #[test]
    fn counts_characters_not_bytes_for_the_minimum() {
        // Seven characters, but fourteen bytes.
        assert_eq!(
            Password::new("ééééééé").unwrap_err(),
            PasswordError::TooShort { min: 8 }
        );
        assert!(Password::new("éééééééé").is_ok());
    }

    #[test]
    fn rejects_seven_characters() {
        assert_eq!(
            Password::new("1234567").unwrap_err(),
            PasswordError::TooShort { min: 8 }
        );
    }

    #[test]
    fn accepts_72_bytes_and_rejects_73() {
        assert!(Password::new("a".repeat(72)).is_ok());
        assert_eq!(
            Password::new("a".repeat(73)).unwrap_err(),
            PasswordError::TooLong { max_bytes: 72 }
        );
        // 37 two-byte characters are 74 bytes.
        assert_eq!(
            Password::new("é".repeat(37)).unwrap_err(),
            PasswordError::TooLong { max_bytes: 72 }
        );
    }

    #[test]
    fn never_shows_itself_in_debug_output() {
        let password = Password::new("correct horse").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
        let hash = PasswordHash::new("$2b$12$secret");
        assert!(!format!("{hash:?}").contains("secret"));
    }
}
