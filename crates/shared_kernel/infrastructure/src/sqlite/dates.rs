//! Dates as the SQLite readers read them back.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlResult, ValueRef};

/// The date in column `name` of `row`. sqlx stores a `DateTime<Utc>` in SQLite as RFC 3339
/// text, which chrono's RFC 3339 parser reads directly; rusqlite's own conversion goes
/// through chrono's format-string parser, which took a tenth of a task page's CPU.
pub fn utc(row: &Row<'_>, name: &str) -> rusqlite::Result<DateTime<Utc>> {
    row.get::<_, StoredUtc>(name).map(|StoredUtc(date)| date)
}

/// The date in column `name` of `row`, or `None` for `NULL`.
pub fn optional_utc(row: &Row<'_>, name: &str) -> rusqlite::Result<Option<DateTime<Utc>>> {
    Ok(row
        .get::<_, Option<StoredUtc>>(name)?
        .map(|StoredUtc(date)| date))
}

struct StoredUtc(DateTime<Utc>);

impl FromSql for StoredUtc {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let parsed = match value {
            ValueRef::Text(text) => std::str::from_utf8(text)
                .ok()
                .and_then(|text| DateTime::parse_from_rfc3339(text).ok()),
            _ => None,
        };
        match parsed {
            Some(date) => Ok(Self(date.with_timezone(&Utc))),
            // Anything else (a date written by hand, say) gets rusqlite's broader reading.
            None => DateTime::<Utc>::column_result(value).map(Self),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use rusqlite::Connection;

    use super::*;

    fn read(sql: &str) -> (rusqlite::Result<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .query_row(sql, [], |row| {
                Ok((utc(row, "at"), optional_utc(row, "at").unwrap_or(None)))
            })
            .unwrap()
    }

    #[test]
    fn reads_the_rfc_3339_text_sqlx_writes() {
        let expected = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
            + chrono::Duration::microseconds(678_901);

        let (date, optional) = read("SELECT '2026-01-02T03:04:05.678901+00:00' AS at");

        assert_eq!(date.unwrap(), expected);
        assert_eq!(optional, Some(expected));
    }

    #[test]
    fn reads_other_formats_as_rusqlite_does() {
        let expected = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();

        assert_eq!(
            read("SELECT '2026-01-02 03:04:05' AS at").0.unwrap(),
            expected
        );
        assert_eq!(read("SELECT 1767323045 AS at").0.unwrap(), expected);
    }

    #[test]
    fn null_is_none_and_not_a_date() {
        let (date, optional) = read("SELECT NULL AS at");

        assert!(date.is_err());
        assert_eq!(optional, None);
    }
}
