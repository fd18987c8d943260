//! Date-times in JSON bodies as RFC 3339 text in UTC (`2026-12-24T08:00:00.123456Z`), the same
//! text chrono's own `Serialize` writes, for `#[serde(serialize_with = "…")]` on response
//! fields.
//!
//! Why not chrono's `Serialize`: it hands serde_json a `Display` that writes the date a few
//! characters at a time, and serde_json escapes each piece on its own. That was a tenth of the
//! CPU of a task page (two dates a task, docs/benchmarks.md); formatting the text first and
//! writing it once is a fraction of that.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serializer;

/// A date-time field.
pub fn serialize<S: Serializer>(time: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&time.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// An optional date-time field: `null` when absent.
pub fn serialize_option<S: Serializer>(
    time: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => serialize(time, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct Fields {
        #[serde(serialize_with = "serialize")]
        at: DateTime<Utc>,
        #[serde(serialize_with = "serialize_option")]
        maybe: Option<DateTime<Utc>>,
    }

    #[derive(Serialize)]
    struct ChronoFields {
        at: DateTime<Utc>,
        maybe: Option<DateTime<Utc>>,
    }

    #[test]
    fn writes_the_text_chronos_serialize_writes_whatever_the_precision() {
        let second = Utc.with_ymd_and_hms(2026, 12, 24, 8, 0, 0).unwrap();
        for nanos in [0, 120_000_000, 123_456_000, 123_456_789, 1_000] {
            let at = second + chrono::Duration::nanoseconds(nanos);
            for maybe in [None, Some(at)] {
                let ours = serde_json::to_string(&Fields { at, maybe }).unwrap();
                let chronos = serde_json::to_string(&ChronoFields { at, maybe }).unwrap();
                assert_eq!(ours, chronos);
            }
        }
    }

    #[test]
    fn a_date_time_is_utc_with_a_z() {
        let at = Utc.with_ymd_and_hms(2026, 12, 24, 8, 0, 0).unwrap()
            + chrono::Duration::microseconds(5);
        let json = serde_json::to_value(Fields { at, maybe: None }).unwrap();
        assert_eq!(json["at"], "2026-12-24T08:00:00.000005Z");
        assert!(json["maybe"].is_null());
    }
}
