use shared_kernel_entrypoints::idempotency::IdempotentPosts;
use utoipa::openapi::path::Operation;
use utoipa::{Modify, OpenApi};

use crate::routes;

/// The routes that read `IdempotentJson`.
const IDEMPOTENT_POSTS: IdempotentPosts = IdempotentPosts(&["/api/users"]);

/// The accounts context's part of the OpenAPI document; the composition root merges it with
/// the others.
#[derive(OpenApi)]
#[openapi(
    paths(
        routes::users::register, routes::users::me, routes::users::change_email,
        routes::users::change_password, routes::sessions::list, routes::sessions::end_others,
        routes::sessions::end_one, routes::tokens::issue, routes::tokens::revoke,
        routes::sessions::log_out,
    ),
    modifiers(&Aliases, &IDEMPOTENT_POSTS),
    tags(
        (name = "users", description = "Registration and the caller's account"),
        (name = "auth", description = "Sessions: access and refresh tokens (OAuth2 password and refresh grants), logout, revocation"),
    )
)]
pub struct AccountsApi;

/// The paths served by the same handlers as their canonical twins (see `routes::configure`).
const ALIASES: [(&str, &str); 2] = [
    ("/api/users/login", "/api/auth/token"),
    ("/api/auth/me", "/api/users/me"),
];

/// Documents every alias as a copy of its canonical path, so that the document lists every
/// route the server answers; operation ids stay unique as OpenAPI requires.
struct Aliases;

impl Modify for Aliases {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (alias, canonical) in ALIASES {
            let Some(mut item) = openapi.paths.paths.get(canonical).cloned() else {
                continue;
            };
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                mark_as_alias(operation, canonical);
            }
            openapi.paths.paths.insert(alias.to_owned(), item);
        }
    }
}

fn mark_as_alias(operation: &mut Operation, canonical: &str) {
    operation.operation_id = operation
        .operation_id
        .take()
        .map(|id| format!("{id}_alias"));
    operation.description = Some(format!("The same as `{canonical}`."));
}
