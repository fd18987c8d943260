use std::future::{Ready, ready};

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use shared_kernel_application::EntityTag;

use super::malformed_header;
use super::tag_list::{self, TagList};
use crate::Problem;

/// A read's `If-None-Match` header (RFC 9110 §13.1.2): the tags of the copies the client
/// holds. A header that is not `*` or a list of entity tags is refused with a 422.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfNoneMatch(Option<TagList>);

impl IfNoneMatch {
    /// Whether the client holds the current representation, whose tag is `current`, and so
    /// gets a 304: `*` (the resource exists, as it does when it has a tag), or a tag equal to
    /// it by weak comparison (`W/"x"` matches `"x"`), as RFC 9110 asks of `If-None-Match`.
    pub fn matches(&self, current: &EntityTag) -> bool {
        match &self.0 {
            None => false,
            Some(TagList::Any) => true,
            Some(TagList::Tags(tags)) => tags.iter().any(|tag| tag.opaque == current.as_str()),
        }
    }

    fn read(request: &HttpRequest) -> Result<Self, Problem> {
        tag_list::parse(request.headers().get_all(header::IF_NONE_MATCH))
            .map(Self)
            .map_err(|malformed| malformed_header("If-None-Match", &malformed))
    }
}

impl FromRequest for IfNoneMatch {
    type Error = Problem;
    type Future = Ready<Result<Self, Problem>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::read(request))
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn read(value: Option<&str>) -> Result<IfNoneMatch, Problem> {
        let request = match value {
            Some(value) => TestRequest::default().insert_header((header::IF_NONE_MATCH, value)),
            None => TestRequest::default(),
        };
        IfNoneMatch::read(&request.to_http_request())
    }

    #[test]
    fn matches_the_current_tag_weakly_in_a_list_or_as_a_star() {
        let current = EntityTag::new("b");

        for value in ["\"b\"", "W/\"b\"", "\"a\", \"b\"", "*"] {
            assert!(read(Some(value)).unwrap().matches(&current), "{value}");
        }
    }

    #[test]
    fn another_tag_or_no_header_does_not_match() {
        let current = EntityTag::new("b");

        for value in [Some("\"a\""), Some("W/\"B\""), Some(""), None] {
            assert!(!read(value).unwrap().matches(&current), "{value:?}");
        }
    }

    #[test]
    fn a_malformed_header_is_a_422_naming_it() {
        let problem = read(Some("b")).unwrap_err();

        assert_eq!(problem.status, 422);
        let errors = problem.errors.unwrap();
        assert_eq!(errors[0].field, "If-None-Match");
    }
}
