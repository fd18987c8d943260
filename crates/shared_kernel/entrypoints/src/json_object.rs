//! A JSON request body that must be an object, as the OpenAPI document says it is.
//!
//! serde's derived `Deserialize` for a struct also takes a JSON array of its fields in order
//! (`["ada@example.com", "correct horse"]` would register a user), which no client means to
//! send and the document does not allow. Reading the body through `JsonObject` refuses
//! anything but an object, without parsing it twice: the struct's own `Deserialize` reads the
//! object's members as they come.

use std::fmt;
use std::marker::PhantomData;

use actix_web::web;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

/// A handler's JSON body: `body: JsonBody<ProjectRequest>`, then `body.into_inner().0`.
pub type JsonBody<T> = web::Json<JsonObject<T>>;

/// `T`, read from a JSON object only.
#[derive(Debug)]
pub struct JsonObject<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for JsonObject<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_map(ObjectVisitor(PhantomData))
            .map(JsonObject)
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::JsonObject;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Body {
        name: String,
        #[serde(default)]
        limit: Option<u32>,
    }

    fn parse(json: &str) -> Result<Body, String> {
        serde_json::from_str::<JsonObject<Body>>(json)
            .map(|object| object.0)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn an_object_reads_as_the_struct_would() {
        let body = parse(r#"{"name": "Garden", "unknown": [1, 2]}"#).unwrap();
        assert_eq!(
            body,
            Body {
                name: "Garden".into(),
                limit: None
            }
        );
        assert_eq!(
            parse(r#"{"limit": 3}"#).unwrap_err(),
            "missing field `name` at line 1 column 12"
        );
    }

    #[test]
    fn an_array_of_the_fields_or_any_other_value_is_refused() {
        for json in [r#"["Garden", 3]"#, r#""Garden""#, "3", "null"] {
            let error = parse(json).unwrap_err();
            assert!(error.contains("expected a JSON object"), "{json}: {error}");
        }
    }
}
