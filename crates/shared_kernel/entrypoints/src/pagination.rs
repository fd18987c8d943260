//! Page parameters and cursors, the same for every list of every context (ADR 0008).
//!
//! Clients treat a cursor as an opaque string. Inside, it is the key of the last item of the
//! previous page, tagged with the list it pages through, so that one list's cursor is refused
//! by another.

use shared_kernel_application::{InvalidInput, PageSize};
use uuid::Uuid;

use crate::Problem;

/// A cursor this list did not hand out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedCursor;

impl std::fmt::Display for MalformedCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("is not a cursor this list handed out")
    }
}

/// The cursor after `key` in the list tagged `tag`, for lists keyed by a UUID: the tag and
/// the key's 32 hex digits.
pub fn uuid_cursor(tag: &str, key: Uuid) -> String {
    format!("{tag}{}", key.simple())
}

pub fn parse_uuid_cursor(tag: &str, cursor: &str) -> Result<Uuid, MalformedCursor> {
    cursor
        .strip_prefix(tag)
        .filter(|hex| hex.len() == 32)
        .and_then(|hex| Uuid::try_parse(hex).ok())
        .ok_or(MalformedCursor)
}

/// The cursor after `key` in the list tagged `tag`, for lists keyed by a number: the tag and
/// the number's digits.
pub fn number_cursor(tag: &str, key: u32) -> String {
    format!("{tag}{key}")
}

pub fn parse_number_cursor(tag: &str, cursor: &str) -> Result<u32, MalformedCursor> {
    cursor
        .strip_prefix(tag)
        .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse().ok())
        .ok_or(MalformedCursor)
}

/// Reads a list's `limit` (1 to 200, 50 when absent) and `cursor`, reporting both when both
/// are wrong.
pub fn page_params<K>(
    limit: Option<i64>,
    cursor: Option<&str>,
    parse_cursor: impl FnOnce(&str) -> Result<K, MalformedCursor>,
) -> Result<(PageSize, Option<K>), Problem> {
    let size = limit.map(PageSize::new).transpose();
    let after = cursor.map(parse_cursor).transpose();
    let (size, after) = InvalidInput::check2(("limit", size), ("cursor", after))?;
    Ok((size.unwrap_or(PageSize::DEFAULT), after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let id = Uuid::now_v7();
        assert_eq!(parse_uuid_cursor("p", &uuid_cursor("p", id)), Ok(id));
        assert_eq!(parse_number_cursor("t", &number_cursor("t", 42)), Ok(42));
    }

    #[test]
    fn a_cursor_of_another_list_or_garbage_is_refused() {
        let id = Uuid::now_v7();
        assert_eq!(
            parse_number_cursor("t", &uuid_cursor("p", id)),
            Err(MalformedCursor)
        );
        assert_eq!(
            parse_uuid_cursor("a", &uuid_cursor("p", id)),
            Err(MalformedCursor)
        );
        assert_eq!(
            parse_uuid_cursor("p", &number_cursor("t", 3)),
            Err(MalformedCursor)
        );
        for garbage in ["", "p", "pxyz", "t", "t-1", "t+1", "t99999999999", "hello"] {
            assert_eq!(
                parse_uuid_cursor("p", garbage),
                Err(MalformedCursor),
                "{garbage}"
            );
            assert_eq!(
                parse_number_cursor("t", garbage),
                Err(MalformedCursor),
                "{garbage}"
            );
        }
    }

    #[test]
    fn a_bad_limit_and_a_bad_cursor_are_both_reported() {
        let problem =
            page_params(Some(0), Some("nope"), |c| parse_number_cursor("t", c)).unwrap_err();
        let fields: Vec<&str> = problem
            .errors
            .iter()
            .flatten()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(fields, ["limit", "cursor"]);
        assert_eq!(
            page_params(None, None, |c| parse_number_cursor("t", c)).unwrap(),
            (PageSize::DEFAULT, None)
        );
    }
}
