//! The field value of `If-Match` and `If-None-Match` (RFC 9110 §13.1.1–2): `*`, or a list of
//! entity tags, each `"opaque"` (strong) or `W/"opaque"` (weak).
//!
//! Written here rather than taken from actix-web's typed headers, which drop the items they
//! cannot read and split a tag at a comma it may hold: a malformed header there reads as no
//! tag at all, which for `If-Match` is an unconditional write. Here it is an error.

use actix_web::http::header::HeaderValue;

/// What a client sent in one of the two headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TagList {
    /// `*`: any current representation.
    Any,
    /// Each element, in order; possibly none (a value of only commas and spaces, which the
    /// list syntax allows).
    Tags(Vec<ClientTag>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ClientTag {
    pub weak: bool,
    /// The characters between the quotes. A byte beyond ASCII (`obs-text`, which the syntax
    /// allows) is read lossily: no tag of ours has one, so such a tag matches none of ours,
    /// before or after.
    pub opaque: String,
}

/// The header's value is not `*` or a list of entity tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be * or a list of entity tags, such as \"abc\", W/\"def\"")]
pub(super) struct MalformedTagList;

/// The header's lines, read as one list (as RFC 9110 §5.3 combines them); `None` when the
/// request has no such header.
pub(super) fn parse<'a>(
    lines: impl Iterator<Item = &'a HeaderValue>,
) -> Result<Option<TagList>, MalformedTagList> {
    let mut present = false;
    let mut any = false;
    let mut tags = Vec::new();
    for line in lines {
        present = true;
        let mut rest = line.as_bytes();
        loop {
            rest = skip_whitespace(rest);
            match rest.split_first() {
                None => break,
                // An empty element: `a, , b` and a leading or trailing comma are allowed.
                Some((b',', after)) => {
                    rest = after;
                    continue;
                }
                Some((b'*', after)) => {
                    any = true;
                    rest = after;
                }
                Some(_) => {
                    let (tag, after) = entity_tag(rest)?;
                    tags.push(tag);
                    rest = after;
                }
            }
            rest = skip_whitespace(rest);
            match rest.split_first() {
                None => break,
                Some((b',', after)) => rest = after,
                Some(_) => return Err(MalformedTagList),
            }
        }
    }
    match (present, any) {
        (false, _) => Ok(None),
        // `*` stands alone: `*, "a"` means nothing.
        (true, true) if tags.is_empty() => Ok(Some(TagList::Any)),
        (true, true) => Err(MalformedTagList),
        (true, false) => Ok(Some(TagList::Tags(tags))),
    }
}

/// One `entity-tag` at the start of `input`, and what follows it.
fn entity_tag(input: &[u8]) -> Result<(ClientTag, &[u8]), MalformedTagList> {
    let (weak, quoted) = match input.strip_prefix(b"W/") {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    let inner = quoted.strip_prefix(b"\"").ok_or(MalformedTagList)?;
    let end = inner
        .iter()
        .position(|&byte| byte == b'"')
        .ok_or(MalformedTagList)?;
    let (opaque, after) = inner.split_at(end);
    if !opaque.iter().all(|&byte| is_etagc(byte)) {
        return Err(MalformedTagList);
    }
    let tag = ClientTag {
        weak,
        opaque: String::from_utf8_lossy(opaque).into_owned(),
    };
    // `after` starts with the closing quote.
    Ok((tag, after.get(1..).unwrap_or_default()))
}

/// `etagc = %x21 / %x23-7E / obs-text`: visible characters but the double quote.
fn is_etagc(byte: u8) -> bool {
    byte == 0x21 || (0x23..=0x7e).contains(&byte) || byte >= 0x80
}

/// `OWS`: spaces and tabs.
fn skip_whitespace(input: &[u8]) -> &[u8] {
    let start = input
        .iter()
        .position(|&byte| byte != b' ' && byte != b'\t')
        .unwrap_or(input.len());
    input.get(start..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_lines(lines: &[&[u8]]) -> Result<Option<TagList>, MalformedTagList> {
        let values: Vec<HeaderValue> = lines
            .iter()
            .map(|line| HeaderValue::from_bytes(line).unwrap())
            .collect();
        parse(values.iter())
    }

    fn parse_one(line: &str) -> Result<Option<TagList>, MalformedTagList> {
        parse_lines(&[line.as_bytes()])
    }

    fn strong(opaque: &str) -> ClientTag {
        ClientTag {
            weak: false,
            opaque: opaque.into(),
        }
    }

    fn weak(opaque: &str) -> ClientTag {
        ClientTag {
            weak: true,
            opaque: opaque.into(),
        }
    }

    fn tags(tags: Vec<ClientTag>) -> Result<Option<TagList>, MalformedTagList> {
        Ok(Some(TagList::Tags(tags)))
    }

    #[test]
    fn no_header_is_no_list() {
        assert_eq!(parse_lines(&[]), Ok(None));
    }

    #[test]
    fn reads_a_star_alone() {
        assert_eq!(parse_one("*"), Ok(Some(TagList::Any)));
        assert_eq!(parse_one("  * "), Ok(Some(TagList::Any)));
    }

    #[test]
    fn reads_strong_and_weak_tags_in_order() {
        assert_eq!(parse_one("\"abc\""), tags(vec![strong("abc")]));
        assert_eq!(
            parse_one("\"a\", W/\"b\",\t\"\""),
            tags(vec![strong("a"), weak("b"), strong("")])
        );
    }

    #[test]
    fn a_tag_may_hold_a_comma_and_a_slash() {
        assert_eq!(
            parse_one("\"a,b\", \"c/d\""),
            tags(vec![strong("a,b"), strong("c/d")])
        );
    }

    #[test]
    fn empty_elements_are_skipped() {
        assert_eq!(
            parse_one(", \"a\",, ,\"b\","),
            tags(vec![strong("a"), strong("b")])
        );
        assert_eq!(parse_one(""), tags(vec![]));
        assert_eq!(parse_one(" , "), tags(vec![]));
    }

    #[test]
    fn several_lines_make_one_list() {
        assert_eq!(
            parse_lines(&[b"\"a\"", b"W/\"b\", \"c\""]),
            tags(vec![strong("a"), weak("b"), strong("c")])
        );
    }

    #[test]
    fn bytes_beyond_ascii_are_allowed_in_a_tag() {
        let parsed = parse_lines(&[b"\"caf\xc3\xa9\""]);
        assert_eq!(parsed, tags(vec![strong("café")]));
    }

    #[test]
    fn anything_else_is_malformed() {
        for line in [
            "abc",
            "\"abc",
            "abc\"",
            "\"a\" \"b\"",
            "\"a\"b",
            "w/\"a\"",
            "W/abc",
            "W/ \"a\"",
            "\"a b\"",
            "*, \"a\"",
            "\"a\", *",
            "**",
            "* *",
        ] {
            assert_eq!(parse_one(line), Err(MalformedTagList), "{line}");
        }
        assert_eq!(
            parse_lines(&[b"*", b"\"a\""]),
            Err(MalformedTagList),
            "a star on one line and a tag on another"
        );
    }
}
