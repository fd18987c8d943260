//! The OpenAPI description of an idempotent POST: the `Idempotency-Key` it takes, the
//! `Idempotent-Replayed` header on what a replay can answer, and the 409 and 422 it adds.

use utoipa::Modify;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Header, OpenApi, RefOr, Required, Response};

use crate::problem_response;

/// The key's rule, as the server applies it to the field's value: 1 to 255 characters from
/// space to `~`. (HTTP drops a field value's leading and trailing spaces, RFC 9110 §5.5, so a
/// key of spaces only arrives empty.)
const KEY_PATTERN: &str = r"^[\x20-\x7E]+$";

const KEY_DESCRIPTION: &str = "Makes the request safe to retry: a request with a key this caller \
    (the user; for registration, the client address) sent before with the same method, path and \
    body (compared as parsed JSON) within `IDEMPOTENCY_KEY_TTL_HOURS` (24 by default) gets the \
    first answer again, marked `Idempotent-Replayed: true`, and runs only once. A 4xx answer is \
    replayed like a success; a 5xx (or a 429) leaves the key free for a retry. 1 to 255 \
    printable ASCII characters; a UUID is a good key.";

const REPLAYED_DESCRIPTION: &str = "`true` on an answer given again to a request whose \
    `Idempotency-Key` was answered before; absent otherwise";

const IN_PROGRESS: &str = "`idempotency_request_in_progress`: a request with this \
    `Idempotency-Key` is still running; retry once it has answered";

const REUSED: &str = "`idempotency_key_reused`: the `Idempotency-Key` was sent with another \
    request (another method, path or body); a malformed key is `validation_failed`, naming \
    `Idempotency-Key`";

/// Documents the POST operation of each of its paths (as the document writes them) as
/// idempotent: a context's `OpenApi` modifier, for the routes that read `IdempotentJson`.
pub struct IdempotentPosts(pub &'static [&'static str]);

impl Modify for IdempotentPosts {
    fn modify(&self, openapi: &mut OpenApi) {
        for path in self.0 {
            if let Some(operation) = openapi
                .paths
                .paths
                .get_mut(*path)
                .and_then(|item| item.post.as_mut())
            {
                document(operation);
            }
        }
    }
}

fn document(operation: &mut Operation) {
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(RefOr::T(
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(KEY_DESCRIPTION))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(255))
                        .pattern(Some(KEY_PATTERN)),
                ))
                .build(),
        ));
    let responses = &mut operation.responses.responses;
    add_code(
        responses
            .entry("409".into())
            .or_insert_with(|| problem("Conflict")),
        IN_PROGRESS,
    );
    add_code(
        responses
            .entry("422".into())
            .or_insert_with(|| problem("Unprocessable")),
        REUSED,
    );
    for (status, response) in responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        // What the command answered, and so what a replay can give: its successes and the
        // refusals it kept; never an extractor's 400 or 413, a 401, a 429 or a 5xx.
        if status.starts_with('2') || ["404", "409", "422"].contains(&status.as_str()) {
            response
                .headers
                .entry("Idempotent-Replayed".into())
                .or_insert_with(replayed_header);
        }
    }
}

/// `response`'s description, naming `code` too.
fn add_code(response: &mut RefOr<Response>, code: &str) {
    if let RefOr::T(response) = response {
        response.description = format!("{}; or {code}", response.description);
    }
}

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(problem_response(description))
}

fn replayed_header() -> RefOr<Header> {
    let mut header = Header::new(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(["true"])),
    );
    header.description = Some(REPLAYED_DESCRIPTION.to_owned());
    RefOr::T(header)
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
    use utoipa::openapi::{PathsBuilder, ResponseBuilder, ResponsesBuilder};

    use super::*;

    fn document_with(responses: &[(&str, &str)]) -> OpenApi {
        let mut built = ResponsesBuilder::new();
        for (status, description) in responses {
            built = built.response(*status, ResponseBuilder::new().description(*description));
        }
        let operation = OperationBuilder::new().responses(built.build()).build();
        let mut openapi = OpenApi::new(
            utoipa::openapi::Info::new("test", "1"),
            PathsBuilder::new().path("/things", PathItem::new(HttpMethod::Post, operation)),
        );
        IdempotentPosts(&["/things", "/elsewhere"]).modify(&mut openapi);
        openapi
    }

    #[test]
    fn the_operation_takes_the_key_and_names_both_codes() {
        let openapi = document_with(&[("201", "Created"), ("409", "`email_taken`")]);
        let json = serde_json::to_value(&openapi).unwrap();
        let operation = &json["paths"]["/things"]["post"];

        let parameter = &operation["parameters"][0];
        assert_eq!(parameter["name"], "Idempotency-Key");
        assert_eq!(parameter["in"], "header");
        assert_eq!(parameter["schema"]["minLength"], 1);
        assert_eq!(parameter["schema"]["maxLength"], 255);
        assert_eq!(parameter["schema"]["pattern"], r"^[\x20-\x7E]+$");
        let conflict = operation["responses"]["409"]["description"]
            .as_str()
            .unwrap();
        assert!(conflict.starts_with("`email_taken`; or"), "{conflict}");
        assert!(
            conflict.contains("idempotency_request_in_progress"),
            "{conflict}"
        );
        let unprocessable = operation["responses"]["422"]["description"]
            .as_str()
            .unwrap();
        assert!(
            unprocessable.contains("idempotency_key_reused"),
            "{unprocessable}"
        );
    }

    #[test]
    fn only_what_a_replay_can_answer_has_the_replayed_header() {
        let openapi = document_with(&[("201", "Created"), ("400", "Bad"), ("404", "Gone")]);
        let json = serde_json::to_value(&openapi).unwrap();
        let responses = &json["paths"]["/things"]["post"]["responses"];

        for status in ["201", "404", "409", "422"] {
            let header = &responses[status]["headers"]["Idempotent-Replayed"];
            assert_eq!(header["schema"]["enum"][0], "true", "{status}");
        }
        assert!(
            responses["400"]["headers"]
                .get("Idempotent-Replayed")
                .is_none()
        );
    }
}
