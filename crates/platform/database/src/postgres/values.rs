//! sea-query's bound values as the readers bind them: sea-query-postgres writes each in its
//! binary form, and each parameter is declared of the type sqlx declares it (sea-query-sqlx's
//! binding), so that PostgreSQL reads a statement as it did through sqlx. Left to infer them,
//! it would take a parameter's type from the column it meets, and refuse a value of another
//! width (an `INT8` compared with an `INT4` column, as a task cursor's number is); declared,
//! the comparison is made across the two types, as before.

use sea_orm::{Value, Values};
use sea_query_postgres::{PostgresValue, PostgresValues};
use tokio_postgres::types::Type;

/// A value of a type the read sides never bind, so no conversion was written for it.
#[derive(Debug, thiserror::Error)]
#[error("tokio-postgres has no conversion written for {0:?}")]
pub struct UnsupportedValue(Value);

/// The parameters of a statement, in order, and their types.
pub(super) fn to_postgres(
    values: Option<Values>,
) -> Result<(PostgresValues, Vec<Type>), UnsupportedValue> {
    let values = values.map_or_else(Vec::new, |Values(values)| values);
    let mut parameters = Vec::with_capacity(values.len());
    let mut types = Vec::with_capacity(values.len());
    for value in values {
        let (value, declared) = declared(value)?;
        parameters.push(PostgresValue(value));
        types.push(declared);
    }
    Ok((PostgresValues(parameters), types))
}

/// `value` as sqlx binds it (unsigned integers in the next wider signed type, which
/// sea-query-postgres would write in other widths), and the type sqlx declares it as.
fn declared(value: Value) -> Result<(Value, Type), UnsupportedValue> {
    Ok(match value {
        Value::Bool(_) => (value, Type::BOOL),
        // sqlx's `i8` is PostgreSQL's one-byte `"char"`.
        Value::TinyInt(_) => (value, Type::CHAR),
        Value::SmallInt(_) => (value, Type::INT2),
        Value::Int(_) => (value, Type::INT4),
        Value::BigInt(_) => (value, Type::INT8),
        Value::TinyUnsigned(n) => (Value::SmallInt(n.map(i16::from)), Type::INT2),
        Value::SmallUnsigned(n) => (Value::Int(n.map(i32::from)), Type::INT4),
        Value::Unsigned(n) => (Value::BigInt(n.map(i64::from)), Type::INT8),
        // A `LIMIT` or an `OFFSET`; sqlx panics on one beyond an `i64`.
        Value::BigUnsigned(Some(n)) => match i64::try_from(n) {
            Ok(n) => (Value::BigInt(Some(n)), Type::INT8),
            Err(_) => return Err(UnsupportedValue(Value::BigUnsigned(Some(n)))),
        },
        Value::BigUnsigned(None) => (Value::BigInt(None), Type::INT8),
        Value::Float(_) => (value, Type::FLOAT4),
        Value::Double(_) => (value, Type::FLOAT8),
        Value::String(_) | Value::Enum(_) | Value::Char(_) => (value, Type::TEXT),
        Value::Bytes(_) => (value, Type::BYTEA),
        Value::Uuid(_) => (value, Type::UUID),
        Value::ChronoDate(_) => (value, Type::DATE),
        Value::ChronoTime(_) => (value, Type::TIME),
        Value::ChronoDateTime(_) => (value, Type::TIMESTAMP),
        Value::ChronoDateTimeUtc(_)
        | Value::ChronoDateTimeLocal(_)
        | Value::ChronoDateTimeWithTimeZone(_) => (value, Type::TIMESTAMPTZ),
        other => return Err(UnsupportedValue(other)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declares_each_value_as_sqlx_does() {
        let id = uuid::Uuid::now_v7();
        let (values, types) = to_postgres(Some(Values(vec![
            Value::Uuid(Some(id)),
            Value::BigInt(Some(7)),
            Value::Int(None),
            Value::SmallInt(Some(3)),
            Value::String(Some("ada@example.com".into())),
            Value::ChronoDateTimeUtc(Some(chrono::Utc::now())),
            Value::Bool(Some(true)),
        ])))
        .unwrap();

        assert_eq!(
            types,
            [
                Type::UUID,
                Type::INT8,
                Type::INT4,
                Type::INT2,
                Type::TEXT,
                Type::TIMESTAMPTZ,
                Type::BOOL
            ]
        );
        assert_eq!(values.0[0], PostgresValue(Value::Uuid(Some(id))));
        assert_eq!(to_postgres(None).unwrap().1, []);
    }

    #[test]
    fn binds_unsigned_values_in_the_signed_type_they_are_declared_as() {
        let (values, types) = to_postgres(Some(Values(vec![
            Value::BigUnsigned(Some(51)),
            Value::Unsigned(Some(u32::MAX)),
            Value::TinyUnsigned(None),
        ])))
        .unwrap();

        assert_eq!(types, [Type::INT8, Type::INT8, Type::INT2]);
        assert_eq!(
            values.0,
            [
                PostgresValue(Value::BigInt(Some(51))),
                PostgresValue(Value::BigInt(Some(i64::from(u32::MAX)))),
                PostgresValue(Value::SmallInt(None)),
            ]
        );
    }

    #[test]
    fn refuses_what_it_cannot_bind_faithfully() {
        for value in [
            Value::BigUnsigned(Some(u64::MAX)),
            Value::Json(None),
            Value::Array(sea_orm::sea_query::ArrayType::Int, None),
        ] {
            assert!(to_postgres(Some(Values(vec![value]))).is_err());
        }
    }
}
