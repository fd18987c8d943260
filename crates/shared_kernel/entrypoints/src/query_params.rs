//! `QueryParams<T>`: a query string read into `T`, the struct that also documents the
//! parameters (`IntoParams`), so that what is read and what is documented cannot drift.
//!
//! Unlike `web::Query` (serde_urlencoded), a bad value is reported under the name of the
//! parameter that holds it (`errors[].field` is `limit`, not `query`), and a parameter may be
//! repeated into a `Vec` (`label=home&label=work`). A parameter the struct does not name is
//! ignored; one it names but reads once, given twice, is refused.

use std::fmt;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::value::{MapDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};

use crate::{FieldError, Problem};

/// The request's query string read into `T` (see the module's documentation).
#[derive(Debug)]
pub struct QueryParams<T>(pub T);

impl<T> QueryParams<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for QueryParams<T> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, actix_web::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            read(request.query_string())
                .map(QueryParams)
                .map_err(|error| {
                    Problem::unprocessable(vec![FieldError {
                        field: error.field.unwrap_or_else(|| "query".to_owned()),
                        message: error.message,
                    }])
                    .into()
                }),
        )
    }
}

/// `query` read into `T`.
pub fn read<T: DeserializeOwned>(query: &str) -> Result<T, QueryError> {
    let mut parameters: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match parameters.iter_mut().find(|(known, _)| *known == name) {
            Some((_, values)) => values.push(value.into_owned()),
            None => parameters.push((name.into_owned(), vec![value.into_owned()])),
        }
    }
    let entries = parameters.iter().map(|(name, values)| {
        (
            name.as_str(),
            Values {
                name: name.as_str(),
                values,
            },
        )
    });
    T::deserialize(MapDeserializer::new(entries))
}

/// Why a query string was refused: the parameter at fault when it is known, and what is
/// wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

impl de::Error for QueryError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Self {
            field: None,
            message: message.to_string(),
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Self {
            field: Some(field.to_owned()),
            message: "is required".to_owned(),
        }
    }
}

/// The values one parameter was given, in order; what reads them says how many it takes.
struct Values<'a> {
    name: &'a str,
    values: &'a [String],
}

impl<'a> Values<'a> {
    /// An error about this parameter.
    fn refuse(&self, message: impl fmt::Display) -> QueryError {
        QueryError {
            field: Some(self.name.to_owned()),
            message: message.to_string(),
        }
    }

    /// Names the parameter in an error that a visitor raised without knowing it.
    fn named(&self, mut error: QueryError) -> QueryError {
        error.field.get_or_insert_with(|| self.name.to_owned());
        error
    }

    /// The one value of a parameter that takes one.
    fn single(&self) -> Result<&'a str, QueryError> {
        match self.values {
            [value] => Ok(value),
            _ => Err(self.refuse("must be given once")),
        }
    }

    fn parsed<T: std::str::FromStr>(&self, expected: &str) -> Result<T, QueryError> {
        let value = self.single()?;
        value
            .parse()
            .map_err(|_| self.refuse(format_args!("must be {expected}, not `{value}`")))
    }
}

impl<'de> IntoDeserializer<'de, QueryError> for Values<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! numbers {
    ($($method:ident => $visit:ident: $type:ty),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
            let number: $type = self.parsed("a whole number")?;
            visitor.$visit(number).map_err(|error| self.named(error))
        })*
    };
}

impl<'de> Deserializer<'de> for Values<'de> {
    type Error = QueryError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        let value = self.single()?;
        visitor.visit_str(value).map_err(|error| self.named(error))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        let items = self.values.iter().map(|value| Values {
            name: self.name,
            values: std::slice::from_ref(value),
        });
        visitor
            .visit_seq(de::value::SeqDeserializer::new(items))
            .map_err(|error| self.named(error))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        let flag: bool = self.parsed("`true` or `false`")?;
        visitor.visit_bool(flag).map_err(|error| self.named(error))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, QueryError> {
        let value = self.single()?;
        let variant: StrDeserializer<'_, QueryError> = value.into_deserializer();
        variant
            .deserialize_enum("", &[], visitor)
            .map_err(|error| self.named(error))
    }

    numbers! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
    }

    serde::forward_to_deserialize_any! {
        i128 u128 f32 f64 char str string bytes byte_buf unit unit_struct newtype_struct
        tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Status {
        Open,
        Done,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Params {
        status: Option<Status>,
        limit: Option<i64>,
        #[serde(default)]
        label: Vec<String>,
        due_before: Option<String>,
        overdue: Option<bool>,
    }

    fn field_of(query: &str) -> (Option<String>, String) {
        let error = read::<Params>(query).unwrap_err();
        (error.field, error.message)
    }

    #[test]
    fn reads_every_kind_of_parameter_and_ignores_unknown_ones() {
        let params: Params = read(
            "status=done&limit=20&label=home&label=work&dueBefore=2026-12-24T00%3A00%3A00Z\
             &overdue=true&other=x",
        )
        .unwrap();
        assert_eq!(
            params,
            Params {
                status: Some(Status::Done),
                limit: Some(20),
                label: vec!["home".into(), "work".into()],
                due_before: Some("2026-12-24T00:00:00Z".into()),
                overdue: Some(true),
            }
        );
        let empty: Params = read("").unwrap();
        assert_eq!(empty.label, Vec::<String>::new());
        assert_eq!(empty.status, None);
    }

    #[test]
    fn a_bad_value_is_reported_under_its_parameter() {
        assert_eq!(field_of("limit=abc").0.as_deref(), Some("limit"));
        assert_eq!(field_of("limit=abc").1, "must be a whole number, not `abc`");
        assert_eq!(field_of("status=maybe").0.as_deref(), Some("status"));
        assert_eq!(field_of("overdue=yes").0.as_deref(), Some("overdue"));
        assert_eq!(
            field_of("limit=1&limit=2"),
            (Some("limit".into()), "must be given once".into())
        );
        assert_eq!(
            field_of("label=a&limit=x&status=open").0.as_deref(),
            Some("limit")
        );
    }

    #[test]
    fn a_missing_required_parameter_is_named() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Required {
            q: String,
        }
        let error = read::<Required>("").unwrap_err();
        assert_eq!(error.field.as_deref(), Some("q"));
    }
}
