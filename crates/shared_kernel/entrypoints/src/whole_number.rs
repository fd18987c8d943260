//! Whole numbers in JSON bodies the way JSON Schema counts them: `5`, `5.0` and `5e0` are the
//! same integer there, so a client (or a generator working from the OpenAPI document) may send
//! any of them. serde's own `i64` takes only the first; `#[serde(deserialize_with = "…")]`
//! with these takes all three, and still refuses `5.5`.

use std::fmt;

use serde::Deserializer;
use serde::de::{Error, Visitor};

/// An optional whole number: absent and `null` are `None`.
pub fn deserialize_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_option(OptionalWholeNumber)
}

struct OptionalWholeNumber;

impl<'de> Visitor<'de> for OptionalWholeNumber {
    type Value = Option<i64>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a whole number or null")
    }

    fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(WholeNumber).map(Some)
    }
}

struct WholeNumber;

/// The largest magnitude an `f64` holds every whole number up to (2^53); beyond it a float
/// is not a precise integer, so it is out of range rather than rounded.
const EXACT_IN_F64: f64 = 9_007_199_254_740_992.0;

impl Visitor<'_> for WholeNumber {
    type Value = i64;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a whole number")
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<i64, E> {
        Ok(value)
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value).map_err(|_| E::custom(format!("{value} is out of range")))
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<i64, E> {
        if value.fract() != 0.0 || !value.is_finite() {
            return Err(E::custom(format!("{value} is not a whole number")));
        }
        exact_integer(value).ok_or_else(|| E::custom(format!("{value} is out of range")))
    }
}

/// The integer a float is, when it is whole and within ±2^53, where every integer has an
/// exact `f64`; `None` otherwise. The one rule for "`5.0` is `5`" (the bodies read here, and
/// a keyed request's fingerprint).
pub(crate) fn exact_integer(value: f64) -> Option<i64> {
    if value.fract() != 0.0 || !value.is_finite() || value.abs() > EXACT_IN_F64 {
        return None;
    }
    // Whole and within ±2^53: the conversion is exact.
    #[allow(clippy::cast_possible_truncation)]
    Some(value as i64)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Body {
        #[serde(default, deserialize_with = "super::deserialize_option")]
        n: Option<i64>,
    }

    fn parse(json: &str) -> Result<Option<i64>, String> {
        serde_json::from_str::<Body>(json)
            .map(|body| body.n)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn takes_a_whole_number_in_any_of_its_json_spellings() {
        assert_eq!(parse(r#"{"n": 5}"#), Ok(Some(5)));
        assert_eq!(parse(r#"{"n": 5.0}"#), Ok(Some(5)));
        assert_eq!(parse(r#"{"n": 5e0}"#), Ok(Some(5)));
        assert_eq!(parse(r#"{"n": -3.0}"#), Ok(Some(-3)));
    }

    #[test]
    fn absent_and_null_are_none() {
        assert_eq!(parse("{}"), Ok(None));
        assert_eq!(parse(r#"{"n": null}"#), Ok(None));
    }

    #[test]
    fn refuses_fractions_text_and_floats_beyond_exact_integers() {
        for json in [
            r#"{"n": 5.5}"#,
            r#"{"n": "5"}"#,
            r#"{"n": 1e300}"#,
            r#"{"n": true}"#,
        ] {
            assert!(parse(json).is_err(), "{json} was accepted");
        }
    }
}
