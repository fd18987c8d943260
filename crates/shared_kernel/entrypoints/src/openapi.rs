/// The security scheme every authenticated route names in `#[utoipa::path(security(...))]`
/// (utoipa wants the literal there: `security(("oauth2_password" = []))`). The composition root
/// defines it as an OAuth2 password flow against `/api/auth/token`, which is what makes Swagger
/// UI's "Authorize" button log in; a test checks that every name a route uses is defined.
pub const BEARER_SECURITY_SCHEME: &str = "oauth2_password";

/// A problem-details response (`application/problem+json`, the `Problem` schema) described
/// as `description`: for the modifiers that add a response no route annotation writes.
pub fn problem_response(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{Content, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            Content::new(Some(Ref::from_schema_name("Problem"))),
        )
        .build()
}
