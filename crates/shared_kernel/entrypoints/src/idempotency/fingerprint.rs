//! What a keyed request asks, as one digest: its method, its path and its body, the body
//! compared as parsed JSON (white space and the order of an object's members do not count,
//! and `5.0` is `5`, as JSON Schema and the server read them).

use actix_web::http::Method;
use serde_json::{Number, Value};
use shared_kernel_application::idempotency::RequestFingerprint;
use shared_kernel_application::sha256_hex;

use crate::whole_number::exact_integer;

/// SHA-256 of `method`, `path` and `body` in canonical form, as 64 hex digits.
pub(super) fn fingerprint(method: &Method, path: &str, body: &Value) -> RequestFingerprint {
    let mut canonical = Vec::with_capacity(256);
    canonical.extend_from_slice(method.as_str().as_bytes());
    canonical.push(b'\n');
    canonical.extend_from_slice(path.as_bytes());
    canonical.push(b'\n');
    write_canonical(body, &mut canonical);
    RequestFingerprint::new(sha256_hex(&canonical, 32))
}

/// `value` as compact JSON with every object's members sorted by name, and whole floats
/// written as integers.
fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(members) => {
            let mut members: Vec<_> = members.iter().collect();
            members.sort_unstable_by_key(|(name, _)| *name);
            out.push(b'{');
            for (index, (name, member)) in members.into_iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_json(&Value::String(name.clone()), out);
                out.push(b':');
                write_canonical(member, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::Number(number) => write_json(&Value::Number(whole(number)), out),
        scalar => write_json(scalar, out),
    }
}

/// `number`, as an integer when it is a whole float that an integer holds exactly.
fn whole(number: &Number) -> Number {
    match number.as_f64() {
        Some(float) if number.is_f64() => exact_integer(float)
            .map(Number::from)
            .unwrap_or_else(|| number.clone()),
        _ => number.clone(),
    }
}

fn write_json(value: &Value, out: &mut Vec<u8>) {
    // Writing a JSON value to a Vec cannot fail (no I/O, no map with non-string keys).
    let _ = serde_json::to_writer(out, value);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn of(method: Method, path: &str, body: &str) -> RequestFingerprint {
        fingerprint(&method, path, &serde_json::from_str(body).unwrap())
    }

    #[test]
    fn white_space_and_member_order_do_not_count() {
        let one = of(
            Method::POST,
            "/api/projects",
            r#"{"name":"Garden","maxIncompleteTasks":5}"#,
        );
        let same = of(
            Method::POST,
            "/api/projects",
            "{ \"maxIncompleteTasks\" : 5.0,\n  \"name\" : \"Garden\" }",
        );
        assert_eq!(one, same);
        assert_eq!(one.as_str().len(), 64);
    }

    #[test]
    fn another_body_method_or_path_is_another_request() {
        let one = of(Method::POST, "/api/projects", r#"{"name":"Garden"}"#);
        for other in [
            of(Method::POST, "/api/projects", r#"{"name":"Garage"}"#),
            of(
                Method::POST,
                "/api/projects",
                r#"{"name":"Garden","extra":null}"#,
            ),
            of(Method::PUT, "/api/projects", r#"{"name":"Garden"}"#),
            of(Method::POST, "/api/users", r#"{"name":"Garden"}"#),
            of(Method::POST, "/api/projects", r#"{"name":["Garden"]}"#),
        ] {
            assert_ne!(one, other);
        }
    }

    #[test]
    fn nested_members_are_sorted_too_and_arrays_keep_their_order() {
        let mut canonical = Vec::new();
        write_canonical(
            &json!({"b": [{"y": 1, "x": 2.5}, 3], "a": "\u{e9}\""}),
            &mut canonical,
        );
        assert_eq!(
            String::from_utf8(canonical).unwrap(),
            r#"{"a":"é\"","b":[{"x":2.5,"y":1},3]}"#
        );
    }
}
