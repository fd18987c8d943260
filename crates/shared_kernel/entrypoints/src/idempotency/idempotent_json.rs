//! A POST's JSON body, and its `Idempotency-Key` if it came with one.

use std::fmt;
use std::future::{Future, ready};
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;
use serde::de::value::MapDeserializer;
use serde::de::{DeserializeOwned, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::Value;
use shared_kernel_application::idempotency::{
    IdempotencyKey, KeyOwner, KeyedRequest, RequestFingerprint,
};

use super::IDEMPOTENCY_KEY;
use super::fingerprint::fingerprint;
use crate::{FieldError, JsonBody, JsonObject, Problem};

/// A handler's JSON body (read as `JsonBody<T>` reads it), with the request's idempotency key
/// when it sent one. Without the header the body is read exactly as `JsonBody` reads it and
/// nothing else happens; with it, the key must be 1 to 255 printable ASCII characters (a 422
/// otherwise), and the body is also kept as parsed JSON for the request's fingerprint.
pub struct IdempotentJson<T> {
    pub body: T,
    pub key: Option<RequestKey>,
}

/// The key a request sent and what the request asks: whose key it is is the route's to say.
#[derive(Debug, Clone)]
pub struct RequestKey {
    key: IdempotencyKey,
    fingerprint: RequestFingerprint,
}

impl RequestKey {
    /// The keyed request, the key being `owner`'s.
    pub fn owned_by(self, owner: KeyOwner) -> KeyedRequest {
        KeyedRequest {
            owner,
            key: self.key,
            fingerprint: self.fingerprint,
        }
    }
}

impl<T> IdempotentJson<T> {
    pub fn into_parts(self) -> (T, Option<RequestKey>) {
        (self.body, self.key)
    }
}

type Extracted<T> = Pin<Box<dyn Future<Output = Result<IdempotentJson<T>, actix_web::Error>>>>;

impl<T: DeserializeOwned + 'static> FromRequest for IdempotentJson<T> {
    type Error = actix_web::Error;
    type Future = Extracted<T>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mut values = request.headers().get_all(IDEMPOTENCY_KEY);
        let Some(value) = values.next() else {
            let body = JsonBody::<T>::from_request(request, payload);
            return Box::pin(async move {
                Ok(IdempotentJson {
                    body: body.await?.into_inner().0,
                    key: None,
                })
            });
        };
        let key = match (IdempotencyKey::parse(value.as_bytes()), values.next()) {
            (Ok(key), None) => key,
            (Err(error), _) => return refused(error.to_string()),
            // Two fields could not be told from one whose value holds a comma.
            (Ok(_), Some(_)) => return refused("must be sent once".into()),
        };
        let method = request.method().clone();
        let path = request.path().to_owned();
        let body = web::Json::<JsonObject<WithJson<T>>>::from_request(request, payload);
        Box::pin(async move {
            let WithJson { typed, json } = body.await?.into_inner().0;
            Ok(IdempotentJson {
                body: typed,
                key: Some(RequestKey {
                    key,
                    fingerprint: fingerprint(&method, &path, &json),
                }),
            })
        })
    }
}

/// A 422 naming the header, as a malformed field's is.
fn refused<T: 'static>(message: String) -> Extracted<T> {
    let problem = Problem::unprocessable(vec![FieldError {
        field: "Idempotency-Key".into(),
        message,
    }]);
    Box::pin(ready(Err(problem.into())))
}

/// `T`, and the JSON it was read from.
struct WithJson<T> {
    typed: T,
    json: Value,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for WithJson<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let members = deserializer.deserialize_map(Members)?;
        // `T` reads the members as they came, repetitions included, so that a body is refused
        // (`duplicate field`) or accepted exactly as it is without a key; and with the
        // struct's own error ("missing field `name`"), so that the 422 names the field.
        let entries = members.iter().map(|(name, value)| (name.as_str(), value));
        let typed = T::deserialize(MapDeserializer::<_, serde_json::Error>::new(entries))
            .map_err(D::Error::custom)?;
        let json = Value::Object(members.into_iter().collect());
        Ok(Self { typed, json })
    }
}

/// An object's members in the order they came, a repeated name repeated.
struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Vec<(String, Value)>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(member) = map.next_entry()? {
            members.push(member);
        }
        Ok(members)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::WithJson;
    use crate::JsonObject;

    #[derive(Debug, Deserialize)]
    struct Body {
        name: String,
    }

    fn read(body: &str) -> Result<(String, serde_json::Value), String> {
        serde_json::from_str::<JsonObject<WithJson<Body>>>(body)
            .map(|JsonObject(read)| (read.typed.name, read.json))
            .map_err(|error| error.to_string())
    }

    #[test]
    fn a_repeated_member_is_refused_as_it_is_without_a_key() {
        let without_a_key = serde_json::from_str::<JsonObject<Body>>(r#"{"name":"a","name":"b"}"#)
            .map(|_| ())
            .map_err(|error| error.to_string());
        let error = read(r#"{"name":"a","name":"b"}"#).unwrap_err();
        assert!(error.contains("duplicate field `name`"), "{error}");
        assert!(
            without_a_key
                .unwrap_err()
                .contains("duplicate field `name`")
        );
    }

    #[test]
    fn the_body_is_read_once_as_the_struct_and_once_as_json() {
        let (name, json) = read(r#"{"name":"Buy milk","note":[1,{"a":null}]}"#).unwrap();
        assert_eq!(name, "Buy milk");
        assert_eq!(json, json!({"name": "Buy milk", "note": [1, {"a": null}]}));
        let error = read(r#"{"title":"Buy milk"}"#).unwrap_err();
        assert!(error.contains("missing field `name`"), "{error}");
    }
}
