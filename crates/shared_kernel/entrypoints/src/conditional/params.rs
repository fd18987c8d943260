//! The two conditional headers as OpenAPI parameters, for the routes that read them
//! (`params(IfMatchHeader)`): one description and one pattern for every route.

use utoipa::IntoParams;

/// `If-Match` on a write.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatchHeader {
    /// Write only if the resource's current `ETag` is one of these tags (strong comparison:
    /// a weak tag never matches), or `*` for any. Otherwise the answer is 412
    /// `precondition_failed` and nothing changes. Without it, the write goes ahead. A value
    /// that is not `*` or a list of entity tags is a 422.
    #[param(
        rename = "If-Match",
        // A header is text or absent, never `null`.
        value_type = String,
        required = false,
        pattern = r#"^[ \t]*(?:\*|(?:(?:W/)?"[\x21\x23-\x7E\x80-\xFF]*"[ \t]*)?(?:,[ \t]*(?:(?:W/)?"[\x21\x23-\x7E\x80-\xFF]*"[ \t]*)?)*)[ \t]*$"#
    )]
    pub if_match: Option<String>,
}

/// `If-None-Match` on a read.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfNoneMatchHeader {
    /// The `ETag`s of the copies the client holds, or `*`. When one matches the current
    /// `ETag` (weak comparison: `W/"x"` matches `"x"`), the answer is 304 with no body. A
    /// value that is not `*` or a list of entity tags is a 422.
    #[param(
        rename = "If-None-Match",
        value_type = String,
        required = false,
        pattern = r#"^[ \t]*(?:\*|(?:(?:W/)?"[\x21\x23-\x7E\x80-\xFF]*"[ \t]*)?(?:,[ \t]*(?:(?:W/)?"[\x21\x23-\x7E\x80-\xFF]*"[ \t]*)?)*)[ \t]*$"#
    )]
    pub if_none_match: Option<String>,
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::HeaderValue;
    use regex::Regex;
    use utoipa::openapi::path::Parameter;

    use super::*;
    use crate::conditional::tag_list;

    fn pattern(mut parameters: Vec<Parameter>) -> Regex {
        let parameter = serde_json::to_value(parameters.remove(0)).unwrap();
        Regex::new(parameter["schema"]["pattern"].as_str().unwrap()).unwrap()
    }

    /// The documented pattern accepts exactly what the server reads, so that a client
    /// generated from the document sends nothing the server refuses, and the other way round.
    #[test]
    fn the_documented_pattern_is_the_syntax_the_server_reads() {
        let patterns = [
            pattern(IfMatchHeader::into_params(|| None)),
            pattern(IfNoneMatchHeader::into_params(|| None)),
        ];
        for value in [
            "*",
            " * ",
            "\"abc\"",
            "W/\"abc\"",
            "\"a\", W/\"b\",\t\"\"",
            "\"a,b\", \"c/d\"",
            ", \"a\",, ,\"b\",",
            "",
            " , ",
            "abc",
            "\"abc",
            "\"a\" \"b\"",
            "\"a\"b",
            "w/\"a\"",
            "W/ \"a\"",
            "\"a b\"",
            "*, \"a\"",
            "**",
        ] {
            let read = tag_list::parse([HeaderValue::from_str(value).unwrap()].iter()).is_ok();
            for pattern in &patterns {
                assert_eq!(pattern.is_match(value), read, "{value:?}");
            }
        }
    }
}
