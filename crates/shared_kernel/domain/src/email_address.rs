use std::fmt;
use std::hash::{Hash, Hasher};

/// An email address as a user typed it (trimmed), compared case-insensitively.
///
/// Validation is deliberately practical rather than a full RFC 5322 parser: one `@`, a local
/// part of at most 64 characters, a domain with at least one dot and no empty labels, no white
/// space, and at most 254 characters in all (the limit of a forward path in SMTP).
#[derive(Debug, Clone)]
pub struct EmailAddress {
    value: String,
    canonical: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailAddressError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters long")]
    TooLong { max: usize },
    #[error("must look like name@example.com")]
    Malformed,
}

impl EmailAddress {
    pub const MAX_LENGTH: usize = 254;
    const MAX_LOCAL_PART_LENGTH: usize = 64;

    pub fn parse(input: &str) -> Result<Self, EmailAddressError> {
        let value = input.trim();
        if value.is_empty() {
            return Err(EmailAddressError::Empty);
        }
        if value.chars().count() > Self::MAX_LENGTH {
            return Err(EmailAddressError::TooLong {
                max: Self::MAX_LENGTH,
            });
        }
        if !is_well_formed(value) {
            return Err(EmailAddressError::Malformed);
        }
        Ok(Self {
            value: value.to_owned(),
            canonical: value.to_lowercase(),
        })
    }

    /// The address as the user gave it.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The form two addresses are compared (and stored uniquely) by.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }
}

fn is_well_formed(value: &str) -> bool {
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.chars().count() <= EmailAddress::MAX_LOCAL_PART_LENGTH
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let domain_ok = !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

impl PartialEq for EmailAddress {
    fn eq(&self, other: &Self) -> bool {
        self.canonical == other.canonical
    }
}

impl Eq for EmailAddress {}

impl Hash for EmailAddress {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.canonical.hash(state);
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_keeps_the_case_the_user_typed() {
        let email = EmailAddress::parse("  Ada@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "Ada@Example.COM");
        assert_eq!(email.canonical(), "ada@example.com");
    }

    #[test]
    fn compares_case_insensitively() {
        assert_eq!(
            EmailAddress::parse("ADA@example.com").unwrap(),
            EmailAddress::parse("ada@EXAMPLE.com").unwrap()
        );
        assert_ne!(
            EmailAddress::parse("ada@example.com").unwrap(),
            EmailAddress::parse("bob@example.com").unwrap()
        );
    }

    #[test]
    fn rejects_empty_input() {
        assert_eq!(EmailAddress::parse("   "), Err(EmailAddressError::Empty));
    }

    #[test]
    fn accepts_254_characters_and_rejects_255() {
        let domain = format!("{}.com", "d".repeat(60));
        let local_len = 64;
        let pad = 254 - local_len - 1 - domain.len();
        let long_domain = format!("{}.{}", "e".repeat(pad - 1), domain);
        let at_limit = format!("{}@{}", "a".repeat(local_len), long_domain);
        assert_eq!(at_limit.len(), 254);
        assert!(EmailAddress::parse(&at_limit).is_ok());

        let over = format!("{}@e{}", "a".repeat(local_len), long_domain);
        assert_eq!(
            EmailAddress::parse(&over),
            Err(EmailAddressError::TooLong { max: 254 })
        );
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "plainaddress",
            "@example.com",
            "ada@",
            "ada@example",
            "ada@@example.com",
            "ada@exa mple.com",
            "ada@.example.com",
            "ada@example..com",
            ".ada@example.com",
            "a..da@example.com",
            "ada@-example.com",
            &format!("{}@example.com", "a".repeat(65)),
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(EmailAddressError::Malformed),
                "{bad} should be malformed"
            );
        }
    }
}
