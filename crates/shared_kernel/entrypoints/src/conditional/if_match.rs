use std::future::{Ready, ready};

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use shared_kernel_application::{EntityTag, Precondition};

use super::malformed_header;
use super::tag_list::{self, TagList};
use crate::Problem;

/// A write's `If-Match` header (RFC 9110 §13.1.1), as the `Precondition` its command carries:
/// none without the header, `Exists` for `*`, or the strong tags it lists. A header that is
/// not `*` or a list of entity tags is refused with a 422, as any other malformed parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfMatch(pub Precondition);

impl IfMatch {
    pub fn into_precondition(self) -> Precondition {
        self.0
    }

    fn read(request: &HttpRequest) -> Result<Self, Problem> {
        let parsed = tag_list::parse(request.headers().get_all(header::IF_MATCH))
            .map_err(|malformed| malformed_header("If-Match", &malformed))?;
        Ok(Self(match parsed {
            None => Precondition::Unconditional,
            Some(TagList::Any) => Precondition::Exists,
            // If-Match compares strongly, and a weak tag never matches strongly: leaving the
            // weak ones out changes no outcome.
            Some(TagList::Tags(tags)) => Precondition::OneOf(
                tags.into_iter()
                    .filter(|tag| !tag.weak)
                    .map(|tag| EntityTag::new(tag.opaque))
                    .collect(),
            ),
        }))
    }
}

impl FromRequest for IfMatch {
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

    fn read(values: &[&str]) -> Result<IfMatch, Problem> {
        let request = values
            .iter()
            .fold(TestRequest::default(), |request, value| {
                request.append_header((header::IF_MATCH, *value))
            })
            .to_http_request();
        IfMatch::read(&request)
    }

    #[test]
    fn no_header_is_an_unconditional_write() {
        assert_eq!(read(&[]).unwrap().0, Precondition::Unconditional);
    }

    #[test]
    fn a_star_asks_only_that_the_resource_exists() {
        assert_eq!(read(&["*"]).unwrap().0, Precondition::Exists);
    }

    #[test]
    fn the_strong_tags_are_kept_and_the_weak_ones_left_out() {
        assert_eq!(
            read(&["\"a\", W/\"b\"", "\"c\""]).unwrap().0,
            Precondition::OneOf(vec![EntityTag::new("a"), EntityTag::new("c")])
        );
        // Weak tags only: a list no state meets, so the write is refused (412), not let through.
        assert_eq!(read(&["W/\"a\""]).unwrap().0, Precondition::OneOf(vec![]));
    }

    #[test]
    fn a_malformed_header_is_a_422_naming_it() {
        let problem = read(&["abc"]).unwrap_err();

        assert_eq!(problem.status, 422);
        assert_eq!(problem.code, "validation_failed");
        let errors = problem.errors.unwrap();
        assert_eq!(errors[0].field, "If-Match");
    }
}
