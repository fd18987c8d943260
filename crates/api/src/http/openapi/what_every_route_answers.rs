//! The answers no route's handler writes, because the layers around every handler do: the
//! request id on every response, a 500 or 503 from any route that reaches the database, the
//! extractors' 400, 413 and 422 for a body or a path that does not parse, the bearer
//! challenge on every 401. Added to every operation of the merged document in one place, so
//! that a context's routes describe only what their handlers answer and the document still
//! holds everything a client can get back.

use shared_kernel_entrypoints::problem_response;
use utoipa::Modify;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Header, OpenApi, PathItem, RefOr, Required};

/// The `Modify` that adds them.
pub struct WhatEveryRouteAnswers;

/// As the document spells it (HTTP header names are case-insensitive; the middleware that
/// sets it is `observe`).
const REQUEST_ID: &str = "X-Request-Id";

/// The liveness probe touches nothing: it answers 200 or not at all.
const TOUCHES_NOTHING: &str = "health";

impl Modify for WhatEveryRouteAnswers {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in operations(item) {
                add_to(operation);
            }
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
        item.head.as_mut(),
        item.options.as_mut(),
    ]
    .into_iter()
    .flatten()
}

fn add_to(operation: &mut Operation) {
    let touches_nothing = operation.operation_id.as_deref() == Some(TOUCHES_NOTHING);
    let has_body = operation.request_body.is_some();
    let has_path_parameters =
        operation.parameters.iter().flatten().any(
            |parameter| matches!(parameter, RefOr::T(p) if p.parameter_in == ParameterIn::Path),
        );
    let responses = &mut operation.responses.responses;

    if has_body {
        responses.entry("400".into()).or_insert_with(|| {
            RefOr::T(problem_response(
                "The body is not JSON (`malformed_json`), not of the declared content type \
                 (`unsupported_content_type`), or does not have the documented shape \
                 (`malformed_body`)",
            ))
        });
        responses.entry("413".into()).or_insert_with(|| {
            RefOr::T(problem_response(
                "The body is larger than 64 KiB (`payload_too_large`)",
            ))
        });
    }
    if has_path_parameters {
        responses.entry("422".into()).or_insert_with(|| {
            RefOr::T(problem_response(
                "A path parameter is malformed (`validation_failed`, naming it)",
            ))
        });
    }
    if !touches_nothing {
        responses.entry("500".into()).or_insert_with(|| {
            RefOr::T(problem_response(
                "A bug (`internal_error`); the log has the whole error under its `requestId`",
            ))
        });
        responses.entry("503".into()).or_insert_with(|| {
            let mut response = problem_response(
                "The database did not answer in time (`database_unavailable`), or too many \
                 requests are waiting already (`overloaded`): retry after `Retry-After` seconds",
            );
            response.headers.insert(
                "Retry-After".into(),
                header("Seconds to wait before retrying", None),
            );
            RefOr::T(response)
        });
    }
    for (status, response) in responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        response
            .headers
            .entry(REQUEST_ID.to_owned())
            .or_insert_with(|| {
                header(
                    "The request's id: the client's `X-Request-Id` if it was well formed, a new \
                 UUIDv7 otherwise. Every log line written while serving it names it",
                    Some(r"^[A-Za-z0-9._-]{1,64}$"),
                )
            });
        if status == "401" {
            response
                .headers
                .entry("WWW-Authenticate".into())
                .or_insert_with(|| {
                    header(
                        "The bearer challenge (RFC 6750): `Bearer` with the error",
                        None,
                    )
                });
        }
    }
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(RefOr::T(request_id_parameter()));
}

fn header(description: &str, pattern: Option<&str>) -> RefOr<Header> {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(pattern);
    let mut header = Header::new(schema);
    header.description = Some(description.to_owned());
    RefOr::T(header)
}

/// `X-Request-Id` as a client may send it: any value, since one that is not well formed is
/// replaced rather than refused.
fn request_id_parameter() -> Parameter {
    ParameterBuilder::new()
        .name(REQUEST_ID)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "An id for the request, kept if it is 1 to 64 characters of `A-Z a-z 0-9 . _ -` \
             and replaced by a new UUIDv7 otherwise (it is never refused)",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}
