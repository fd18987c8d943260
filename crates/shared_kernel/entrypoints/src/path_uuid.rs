//! A UUID in a path as the OpenAPI document writes it (`format: uuid`): the hyphenated form
//! of 36 characters only. `Uuid`'s own `Deserialize` also takes 32 bare hex digits, braces and
//! `urn:uuid:`, so `/api/projects/{…}` answered for the same project as its canonical path:
//! the document would allow less than the server takes.

use std::fmt;

use serde::de::{Error, Visitor};
use serde::{Deserialize, Deserializer};
use uuid::Uuid;

/// The hyphenated form's length: 32 hex digits and 4 hyphens.
const HYPHENATED_LEN: usize = 36;

/// `web::Path<PathUuid>`, then `.into_inner().0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathUuid(pub Uuid);

impl<'de> Deserialize<'de> for PathUuid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(HyphenatedUuid)
    }
}

struct HyphenatedUuid;

impl Visitor<'_> for HyphenatedUuid {
    type Value = PathUuid;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a UUID in its hyphenated form (8-4-4-4-12 hex digits)")
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<PathUuid, E> {
        // Of the forms `Uuid` parses, only the hyphenated one has 36 characters.
        if text.len() != HYPHENATED_LEN {
            return Err(E::invalid_value(serde::de::Unexpected::Str(text), &self));
        }
        Uuid::try_parse(text)
            .map(PathUuid)
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(text), &self))
    }
}

#[cfg(test)]
mod tests {
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, StrDeserializer};

    use super::*;

    fn parse(text: &str) -> Result<Uuid, Error> {
        let deserializer: StrDeserializer<Error> = text.into_deserializer();
        PathUuid::deserialize(deserializer).map(|id| id.0)
    }

    #[test]
    fn takes_the_hyphenated_form_in_either_case() {
        let id = Uuid::now_v7();
        assert_eq!(parse(&id.hyphenated().to_string()).unwrap(), id);
        assert_eq!(
            parse(&id.hyphenated().to_string().to_uppercase()).unwrap(),
            id
        );
    }

    #[test]
    fn refuses_the_other_forms_uuid_would_take() {
        let id = Uuid::now_v7();
        for other in [
            id.simple().to_string(),
            id.braced().to_string(),
            id.urn().to_string(),
            "not-a-uuid".to_owned(),
            format!("{}x", &id.hyphenated().to_string()[..35]),
        ] {
            assert!(parse(&other).is_err(), "{other} was taken");
        }
    }
}
