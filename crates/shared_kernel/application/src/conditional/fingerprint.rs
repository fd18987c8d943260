use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::EntityTag;
use crate::sha256_hex;

/// How many bytes of the SHA-256 digest a tag keeps: 128 bits, far beyond any chance of two
/// states of one resource colliding, in half the header.
const TAG_BYTES: usize = 16;

/// Builds a resource's entity tag from the fields a client sees of it, in a fixed order.
///
/// The tag must be the same in every process, on every instance and after every restart, for
/// the same fields: a client's `If-Match` from one instance is checked on another. So the
/// fields are written in an explicit byte encoding (never `std::hash::Hash`, whose hashers
/// are seeded per process and may change between Rust releases) and digested with SHA-256.
/// Each field's encoding is self-delimiting (fixed width, or length-prefixed), so two
/// different lists of fields can never encode alike.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    encoded: Vec<u8>,
}

impl Fingerprint {
    /// A fingerprint of a resource of `kind` ("project", "task"): the kind is encoded first,
    /// so that two kinds of resource whose fields happen to encode alike get different tags.
    pub fn of(kind: &str) -> Self {
        let mut fingerprint = Self {
            encoded: Vec::with_capacity(128),
        };
        kind.encode(&mut fingerprint.encoded);
        fingerprint
    }

    /// Adds the next field.
    pub fn field(mut self, value: &(impl FingerprintField + ?Sized)) -> Self {
        value.encode(&mut self.encoded);
        self
    }

    pub fn finish(self) -> EntityTag {
        EntityTag::new(sha256_hex(&self.encoded, TAG_BYTES))
    }
}

/// A value a `Fingerprint` can take: written in a fixed, self-delimiting byte encoding.
///
/// Changing an encoding changes every tag of the resources that use it, so that every client's
/// `If-Match` fails once (and every instance still on the old code disagrees with the new ones
/// during a rolling deploy): the tests pin a tag so that this happens only on purpose.
pub trait FingerprintField {
    fn encode(&self, into: &mut Vec<u8>);
}

impl FingerprintField for str {
    fn encode(&self, into: &mut Vec<u8>) {
        (self.len() as u64).encode(into);
        into.extend_from_slice(self.as_bytes());
    }
}

impl FingerprintField for String {
    fn encode(&self, into: &mut Vec<u8>) {
        self.as_str().encode(into);
    }
}

impl FingerprintField for bool {
    fn encode(&self, into: &mut Vec<u8>) {
        into.push(u8::from(*self));
    }
}

impl FingerprintField for u32 {
    fn encode(&self, into: &mut Vec<u8>) {
        into.extend_from_slice(&self.to_be_bytes());
    }
}

impl FingerprintField for u64 {
    fn encode(&self, into: &mut Vec<u8>) {
        into.extend_from_slice(&self.to_be_bytes());
    }
}

impl FingerprintField for i64 {
    fn encode(&self, into: &mut Vec<u8>) {
        into.extend_from_slice(&self.to_be_bytes());
    }
}

impl FingerprintField for Uuid {
    fn encode(&self, into: &mut Vec<u8>) {
        into.extend_from_slice(self.as_bytes());
    }
}

/// Seconds and nanoseconds: every instant a timestamp can hold, whatever its text shows.
impl FingerprintField for DateTime<Utc> {
    fn encode(&self, into: &mut Vec<u8>) {
        self.timestamp().encode(into);
        self.timestamp_subsec_nanos().encode(into);
    }
}

/// A presence byte, then the value: `None` and `Some` of anything never encode alike.
impl<T: FingerprintField> FingerprintField for Option<T> {
    fn encode(&self, into: &mut Vec<u8>) {
        match self {
            None => into.push(0),
            Some(value) => {
                into.push(1);
                value.encode(into);
            }
        }
    }
}

/// A count, then each item: `["ab"]` and `["a", "b"]` never encode alike.
impl<T: FingerprintField> FingerprintField for [T] {
    fn encode(&self, into: &mut Vec<u8>) {
        (self.len() as u64).encode(into);
        for item in self {
            item.encode(into);
        }
    }
}

impl<T: FingerprintField> FingerprintField for Vec<T> {
    fn encode(&self, into: &mut Vec<u8>) {
        self.as_slice().encode(into);
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(nanos: u32) -> DateTime<Utc> {
        Utc.timestamp_opt(1_767_323_045, nanos).unwrap()
    }

    #[test]
    fn the_same_fields_give_the_same_tag_and_its_value_is_pinned() {
        let tag = || {
            Fingerprint::of("project")
                .field(&Uuid::from_u128(0x0193_a4f2_7c1e_7d33_9a52_5b8e_2f1c_0d4e))
                .field("Garden")
                .field(&Some(5_u32))
                .field(&at(123_000))
                .finish()
        };

        assert_eq!(tag(), tag());
        assert_eq!(tag().as_str().len(), 32);
        // Pinned: a tag must not change between releases unless the encoding changes on
        // purpose (see `FingerprintField`). The first 16 bytes of the SHA-256 of: 7 as a u64
        // and "project"; the UUID's 16 bytes; 6 as a u64 and "Garden"; 1 and 5 as a u32; the
        // seconds as an i64 and 123000 nanoseconds as a u32, all big-endian (worked out
        // outside Rust too).
        assert_eq!(tag().as_str(), "3b669bab58cfa2b447fc154f1fc4636b");
    }

    #[test]
    fn any_field_that_differs_gives_another_tag() {
        let base = || Fingerprint::of("task").field(&1_u32).field("Water");
        let tag = base().field(&None::<DateTime<Utc>>).finish();

        assert_ne!(tag, base().field(&Some(at(0))).finish());
        assert_ne!(
            tag,
            Fingerprint::of("task")
                .field(&2_u32)
                .field("Water")
                .field(&None::<DateTime<Utc>>)
                .finish()
        );
        assert_ne!(
            tag,
            Fingerprint::of("project")
                .field(&1_u32)
                .field("Water")
                .field(&None::<DateTime<Utc>>)
                .finish()
        );
        // A microsecond is part of what the client sees, and so of the tag.
        assert_ne!(
            base().field(&at(1_000)).finish(),
            base().field(&at(2_000)).finish()
        );
    }

    #[test]
    fn lists_cannot_run_into_each_other() {
        let list = |items: &[&str]| {
            let items: Vec<String> = items.iter().map(|item| item.to_string()).collect();
            Fingerprint::of("x").field(&items).finish()
        };
        assert_ne!(list(&["ab"]), list(&["a", "b"]));
        assert_ne!(list(&[]), list(&[""]));
        assert_eq!(list(&["a", "b"]), list(&["a", "b"]));
    }

    #[test]
    fn fields_cannot_run_into_each_other() {
        let split = |a: &str, b: &str| Fingerprint::of("x").field(a).field(b).finish();

        assert_ne!(split("ab", "c"), split("a", "bc"));
        assert_ne!(
            Fingerprint::of("x")
                .field(&None::<u32>)
                .field(&Some(0_u32))
                .finish(),
            Fingerprint::of("x")
                .field(&Some(0_u32))
                .field(&None::<u32>)
                .finish()
        );
    }

    #[test]
    fn a_tag_is_lowercase_hex() {
        let tag = Fingerprint::of("x").finish();
        assert!(
            tag.as_str()
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{tag}"
        );
    }
}
