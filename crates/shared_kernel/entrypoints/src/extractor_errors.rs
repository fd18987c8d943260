//! Error handlers for actix-web's extractors, so that a malformed request gets a problem
//! document like every other error: 400 for a body that is not JSON (or not the content type
//! the route reads), 413 for a body that is too large, 422 for well-formed input with missing
//! or mistyped fields or path segments. (Query strings are read by `QueryParams`, whose own
//! errors name each parameter.)

use actix_web::error::{InternalError, JsonPayloadError, PathError, UrlencodedError};
use actix_web::http::StatusCode;
use actix_web::web;

use crate::{FieldError, Problem};

/// The largest JSON or form body any route accepts: far more than any of them needs.
const BODY_LIMIT_BYTES: usize = 64 * 1024;

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(BODY_LIMIT_BYTES)
        .error_handler(|error, _| into_actix_error(json_problem(&error), error))
}

pub fn form_config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(BODY_LIMIT_BYTES)
        .error_handler(|error, _| into_actix_error(form_problem(&error), error))
}

/// `form_config` for the OAuth 2.0 endpoints, whose problems also carry RFC 6749's `error`
/// member (`invalid_request`), for OAuth2 client libraries.
pub fn oauth_form_config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(BODY_LIMIT_BYTES)
        .error_handler(|error, _| {
            let problem = form_problem(&error).with_oauth_error("invalid_request");
            into_actix_error(problem, error)
        })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, _| {
        let PathError::Deserialize(cause) = &error else {
            return into_actix_error(Problem::not_found("no such resource"), error);
        };
        let problem = unprocessable_from_serde(&cause.to_string(), "path");
        into_actix_error(problem, error)
    })
}

fn json_problem(error: &JsonPayloadError) -> Problem {
    match error {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            payload_too_large()
        }
        JsonPayloadError::ContentType => Problem::bad_request(
            "unsupported_content_type",
            "the body must be JSON, sent with Content-Type: application/json",
        ),
        JsonPayloadError::Deserialize(cause) if cause.is_data() => {
            unprocessable_from_serde(&cause.to_string(), "body")
        }
        JsonPayloadError::Deserialize(_) => {
            Problem::bad_request("malformed_json", "the body is not well-formed JSON")
        }
        _ => Problem::bad_request("malformed_body", "the body could not be read"),
    }
}

fn form_problem(error: &UrlencodedError) -> Problem {
    match error {
        UrlencodedError::Overflow { .. } => payload_too_large(),
        UrlencodedError::ContentType => Problem::bad_request(
            "unsupported_content_type",
            "the body must be a form, sent with Content-Type: application/x-www-form-urlencoded",
        ),
        UrlencodedError::Parse(cause) => unprocessable_from_serde(&cause.to_string(), "body"),
        _ => Problem::bad_request("malformed_body", "the body could not be read"),
    }
}

fn payload_too_large() -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("the body must be at most {BODY_LIMIT_BYTES} bytes"),
    )
}

/// A 422 naming the field serde complained about when its message says which one (as in
/// "missing field `password`"), or `fallback` (the body, the query) when it does not.
fn unprocessable_from_serde(message: &str, fallback: &str) -> Problem {
    let field = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("missing field") || message.starts_with("unknown field"))
        .unwrap_or(fallback);
    // serde_json adds "at line 1 column 12": true, but noise for a client.
    let message = message.split(" at line ").next().unwrap_or(message);
    Problem::unprocessable(vec![FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    }])
}

fn into_actix_error(
    problem: Problem,
    cause: impl std::fmt::Debug + std::fmt::Display + 'static,
) -> actix_web::Error {
    let response = actix_web::ResponseError::error_response(&problem);
    InternalError::from_response(cause, response).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_missing_field() {
        let problem = unprocessable_from_serde("missing field `password`", "body");
        let errors = problem.errors.unwrap();
        assert_eq!(errors[0].field, "password");
        assert_eq!(errors[0].message, "missing field `password`");
    }

    #[test]
    fn falls_back_to_the_part_of_the_request_and_drops_positions() {
        let problem = unprocessable_from_serde(
            "invalid type: integer `5`, expected a string at line 1 column 14",
            "body",
        );
        let errors = problem.errors.unwrap();
        assert_eq!(errors[0].field, "body");
        assert_eq!(
            errors[0].message,
            "invalid type: integer `5`, expected a string"
        );
    }
}
