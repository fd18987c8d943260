use std::fmt;

/// A strong entity tag (RFC 9110 §8.8.3): the opaque part, without its quotes or a `W/`.
///
/// The server's own tags come from a `Fingerprint` and are lowercase hex. A client's tags
/// (`If-Match`) are whatever it sent between the quotes, checked for syntax at the edge; they
/// are compared character by character, which is strong comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityTag(String);

impl EntityTag {
    /// The tag whose opaque part is `opaque`, the characters between the quotes.
    pub fn new(opaque: impl Into<String>) -> Self {
        Self(opaque.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The opaque part, as it goes between the quotes of an `ETag` header.
impl fmt::Display for EntityTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
