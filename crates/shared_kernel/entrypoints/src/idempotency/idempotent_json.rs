//! A POST's JSON body, and its `Idempotency-Key` if it came with one.

use std::future::{Future, ready};
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
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
        let json = Value::deserialize(deserializer)?;
        // The struct's own error ("missing field `name`"), so that the 422 names the field.
        let typed = T::deserialize(&json).map_err(D::Error::custom)?;
        Ok(Self { typed, json })
    }
}
