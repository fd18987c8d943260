use shared_kernel_entrypoints::{BEARER_SECURITY_SCHEME, FieldError, Problem};
use utoipa::openapi::security::{Flow, OAuth2, Password, Scopes, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{health, readiness};
use crate::composition::Contexts;

mod what_every_route_answers;

use what_every_route_answers::WhatEveryRouteAnswers;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Task API",
        description = "Users, projects and tasks: a reference of Domain-Driven Design with a \
                       Clean/Hexagonal architecture in Rust. Errors are RFC 9457 problem details.",
    ),
    paths(health::health, readiness::ready),
    components(schemas(Problem, FieldError)),
    modifiers(&OAuth2PasswordFlow),
    tags((name = "health", description = "Whether the server is up (liveness) and ready for traffic (readiness)")),
)]
struct RootApi;

/// Makes Swagger UI's "Authorize" button log in with the password flow.
struct OAuth2PasswordFlow;

impl Modify for OAuth2PasswordFlow {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER_SECURITY_SCHEME,
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::Password(Password::new(
                    "/api/auth/token",
                    Scopes::new(),
                ))],
                "Log in with your email address as the username.",
            )),
        );
    }
}

/// The whole API: the root document merged with every context's, and what every route
/// answers besides what its handler does.
pub fn api_document(contexts: &Contexts) -> utoipa::openapi::OpenApi {
    let mut document = RootApi::openapi();
    for context in contexts {
        document.merge(context.openapi());
    }
    WhatEveryRouteAnswers.modify(&mut document);
    document
}
