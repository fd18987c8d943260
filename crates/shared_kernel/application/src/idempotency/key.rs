/// The `Idempotency-Key` a client sent: 1 to 255 printable ASCII characters (space to `~`),
/// which is what the header's value may hold and the table's column keeps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

/// Why a value is not an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdempotencyKeyError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters (it is {length})", max = IdempotencyKey::MAX_LENGTH)]
    TooLong { length: usize },
    #[error("must be printable ASCII characters only (space to `~`)")]
    NotPrintableAscii,
}

impl IdempotencyKey {
    pub const MAX_LENGTH: usize = 255;

    /// The key in `raw`, the header's value as it arrived.
    pub fn parse(raw: &[u8]) -> Result<Self, IdempotencyKeyError> {
        if raw.is_empty() {
            return Err(IdempotencyKeyError::Empty);
        }
        if !raw.iter().all(|byte| (0x20..=0x7e).contains(byte)) {
            return Err(IdempotencyKeyError::NotPrintableAscii);
        }
        if raw.len() > Self::MAX_LENGTH {
            return Err(IdempotencyKeyError::TooLong { length: raw.len() });
        }
        // Printable ASCII is UTF-8 too.
        String::from_utf8(raw.to_vec())
            .map(Self)
            .map_err(|_| IdempotencyKeyError::NotPrintableAscii)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_one_to_255_printable_ascii_characters() {
        for key in ["a", " ", "~", "order 42: retry #3", &"k".repeat(255)] {
            let parsed = IdempotencyKey::parse(key.as_bytes()).unwrap();
            assert_eq!(parsed.as_str(), key);
        }
    }

    #[test]
    fn refuses_an_empty_a_long_or_an_unprintable_key() {
        assert_eq!(IdempotencyKey::parse(b""), Err(IdempotencyKeyError::Empty));
        assert_eq!(
            IdempotencyKey::parse("k".repeat(256).as_bytes()),
            Err(IdempotencyKeyError::TooLong { length: 256 })
        );
        for key in [
            &b"tab\there"[..],
            b"del\x7f",
            b"nul\0",
            "caf\u{e9}".as_bytes(),
        ] {
            assert_eq!(
                IdempotencyKey::parse(key),
                Err(IdempotencyKeyError::NotPrintableAscii),
                "{key:?}"
            );
        }
    }
}
