/// The security scheme every authenticated route names in `#[utoipa::path(security(...))]`
/// (utoipa wants the literal there: `security(("oauth2_password" = []))`). The composition root
/// defines it as an OAuth2 password flow against `/api/auth/token`, which is what makes Swagger
/// UI's "Authorize" button log in; a test checks that every name a route uses is defined.
pub const BEARER_SECURITY_SCHEME: &str = "oauth2_password";
