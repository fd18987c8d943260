//! sea-query's bound values as rusqlite binds them, stored the way sqlx stores them, so that
//! a statement built for the sea-orm adapters finds (and writes) the same rows on the SQLite
//! threads as through sqlx.

use chrono::SecondsFormat;
use rusqlite::types::Value as SqliteValue;
use sea_orm::{Value, Values};

/// A value of a type the adapters never bind, so no conversion was written for it.
#[derive(Debug, thiserror::Error)]
#[error("rusqlite has no conversion written for {0:?}")]
pub struct UnsupportedValue(Value);

/// The values of a statement, in order; `None` is a statement without any.
pub fn to_rusqlite(values: Option<Values>) -> Result<Vec<SqliteValue>, UnsupportedValue> {
    values
        .map(|Values(values)| values.into_iter().map(to_sqlite_value).collect())
        .unwrap_or_else(|| Ok(Vec::new()))
}

/// `sql` with a final `LIMIT ?` written as the number it binds.
///
/// SQLite's planner reads a bound `LIMIT` while it prepares the statement, so it prepares the
/// statement again every time it runs: a quarter of a task page's query time, with sqlx as
/// well. A literal keeps the prepared statement, one per page size asked for.
pub fn with_literal_limit(sql: String, mut values: Vec<SqliteValue>) -> (String, Vec<SqliteValue>) {
    const BOUND_LIMIT: &str = " LIMIT ?";
    match (sql.strip_suffix(BOUND_LIMIT), values.last()) {
        (Some(rest), Some(&SqliteValue::Integer(limit))) => {
            let sql = format!("{rest} LIMIT {limit}");
            values.pop();
            (sql, values)
        }
        _ => (sql, values),
    }
}

fn to_sqlite_value(value: Value) -> Result<SqliteValue, UnsupportedValue> {
    let integer = |n: Option<i64>| n.map_or(SqliteValue::Null, SqliteValue::Integer);
    Ok(match value {
        Value::Bool(b) => integer(b.map(i64::from)),
        Value::TinyInt(n) => integer(n.map(i64::from)),
        Value::SmallInt(n) => integer(n.map(i64::from)),
        Value::Int(n) => integer(n.map(i64::from)),
        Value::BigInt(n) => integer(n),
        Value::TinyUnsigned(n) => integer(n.map(i64::from)),
        Value::SmallUnsigned(n) => integer(n.map(i64::from)),
        Value::Unsigned(n) => integer(n.map(i64::from)),
        Value::BigUnsigned(Some(n)) => match i64::try_from(n) {
            Ok(n) => SqliteValue::Integer(n),
            Err(_) => return Err(UnsupportedValue(Value::BigUnsigned(Some(n)))),
        },
        Value::BigUnsigned(None) => SqliteValue::Null,
        Value::String(text) => text.map_or(SqliteValue::Null, SqliteValue::Text),
        Value::Bytes(bytes) => bytes.map_or(SqliteValue::Null, SqliteValue::Blob),
        // sqlx stores a UUID as its 16 bytes.
        Value::Uuid(uuid) => uuid.map_or(SqliteValue::Null, |uuid| {
            SqliteValue::Blob(uuid.as_bytes().to_vec())
        }),
        // sqlx stores a date as RFC 3339 text, with seconds' fractions as needed.
        Value::ChronoDateTimeUtc(date) => date.map_or(SqliteValue::Null, |date| {
            SqliteValue::Text(date.to_rfc3339_opts(SecondsFormat::AutoSi, false))
        }),
        other => return Err(UnsupportedValue(other)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_the_types_the_read_sides_use_as_sqlx_stores_them() {
        let id = uuid::Uuid::now_v7();
        let values = Values(vec![
            Value::Uuid(Some(id)),
            Value::Int(Some(-3)),
            Value::BigUnsigned(Some(51)),
            Value::Bool(Some(true)),
            Value::String(Some("ada@example.com".into())),
            Value::Int(None),
        ]);

        assert_eq!(
            to_rusqlite(Some(values)).unwrap(),
            vec![
                SqliteValue::Blob(id.as_bytes().to_vec()),
                SqliteValue::Integer(-3),
                SqliteValue::Integer(51),
                SqliteValue::Integer(1),
                SqliteValue::Text("ada@example.com".into()),
                SqliteValue::Null,
            ]
        );
        assert_eq!(to_rusqlite(None).unwrap(), Vec::new());
    }

    #[test]
    fn binds_a_date_as_the_rfc_3339_text_sqlx_writes() {
        use chrono::TimeZone;
        let whole = chrono::Utc
            .with_ymd_and_hms(2026, 11, 21, 9, 30, 5)
            .unwrap();
        let fraction = whole + chrono::TimeDelta::microseconds(120_500);

        assert_eq!(
            to_rusqlite(Some(Values(vec![
                Value::ChronoDateTimeUtc(Some(whole)),
                Value::ChronoDateTimeUtc(Some(fraction)),
                Value::ChronoDateTimeUtc(None),
            ])))
            .unwrap(),
            vec![
                SqliteValue::Text("2026-11-21T09:30:05+00:00".into()),
                SqliteValue::Text("2026-11-21T09:30:05.120500+00:00".into()),
                SqliteValue::Null,
            ]
        );
    }

    #[test]
    fn a_final_bound_limit_becomes_a_literal() {
        let id = SqliteValue::Blob(vec![1; 16]);

        assert_eq!(
            with_literal_limit(
                "SELECT a FROM t WHERE id = ? LIMIT ?".into(),
                vec![id.clone(), SqliteValue::Integer(51)]
            ),
            (
                "SELECT a FROM t WHERE id = ? LIMIT 51".into(),
                vec![id.clone()]
            )
        );
        let unchanged = |sql: &str, values: Vec<SqliteValue>| {
            assert_eq!(
                with_literal_limit(sql.into(), values.clone()),
                (sql.into(), values)
            );
        };
        unchanged("SELECT a FROM t WHERE id = ?", vec![id.clone()]);
        unchanged(
            "SELECT a FROM t LIMIT ? OFFSET ?",
            vec![SqliteValue::Integer(5), SqliteValue::Integer(10)],
        );
        unchanged(
            "SELECT a FROM t WHERE id = ? LIMIT ?",
            vec![id.clone(), SqliteValue::Null],
        );
    }

    #[test]
    fn rewrites_the_limit_of_a_select_as_sea_query_writes_it() {
        use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SqliteQueryBuilder};
        let (sql, values) = Query::select()
            .column(Alias::new("number"))
            .from(Alias::new("projects_tasks"))
            .and_where(Expr::col(Alias::new("project_id")).eq(7))
            .limit(51)
            .build(SqliteQueryBuilder);

        let (sql, values) = with_literal_limit(sql, to_rusqlite(Some(values)).unwrap());

        assert!(sql.ends_with(" LIMIT 51"), "{sql}");
        assert_eq!(values, vec![SqliteValue::Integer(7)]);
    }

    #[test]
    fn refuses_what_it_cannot_bind_faithfully() {
        assert!(to_rusqlite(Some(Values(vec![Value::BigUnsigned(Some(u64::MAX))]))).is_err());
        assert!(to_rusqlite(Some(Values(vec![Value::Char(Some('x'))]))).is_err());
    }
}
