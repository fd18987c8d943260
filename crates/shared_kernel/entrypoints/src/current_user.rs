use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use shared_kernel_application::{Authenticated, AuthenticationError, Authenticator};
use shared_kernel_domain::UserId;

use crate::Problem;

/// The authenticated caller of a request: take it as a handler argument and the handler only
/// runs for a valid bearer token of an existing user; anything else is answered 401.
///
/// It reads the `Authenticator` the composition root put in the app data, so a context that
/// authenticates requests never learns which context issues the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentUser(pub UserId);

/// The same as `CurrentUser`, with the session the token belongs to: for the routes of the
/// context that issues the tokens (logging out ends the caller's session).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentSession(pub Authenticated);

impl FromRequest for CurrentUser {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let authenticated = authenticate(request);
        Box::pin(async move { Ok(CurrentUser(authenticated.await?.user_id)) })
    }
}

impl FromRequest for CurrentSession {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let authenticated = authenticate(request);
        Box::pin(async move { Ok(CurrentSession(authenticated.await?)) })
    }
}

/// Who the request's bearer token speaks for, as the app data's `Authenticator` says.
fn authenticate(
    request: &HttpRequest,
) -> impl Future<Output = Result<Authenticated, Problem>> + use<> {
    let authenticator = request.app_data::<web::Data<dyn Authenticator>>().cloned();
    let token = bearer_token(request).map(str::to_owned);
    let request = request.clone();
    async move {
        let Some(authenticator) = authenticator else {
            let wiring = std::io::Error::other("no Authenticator in the app data");
            return Err(Problem::failure(&wiring));
        };
        let token = token.ok_or_else(|| {
            Problem::unauthorized(
                "missing_token",
                "this route needs an access token: Authorization: Bearer <token>",
            )
        })?;
        match authenticator.authenticate(&token).await {
            Ok(authenticated) => {
                // For the access log, which names the caller of every request it can.
                request.extensions_mut().insert(authenticated);
                Ok(authenticated)
            }
            Err(AuthenticationError::InvalidToken) => Err(Problem::unauthorized(
                "invalid_token",
                "the access token is malformed, expired or no longer valid",
            )),
            Err(AuthenticationError::Infrastructure(error)) => Err(Problem::failure(&error)),
        }
    }
}

/// The token of an `Authorization: Bearer <token>` header (the scheme is case-insensitive).
fn bearer_token(request: &HttpRequest) -> Option<&str> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn reads_the_token_of_a_bearer_header() {
        let request = TestRequest::default()
            .insert_header((header::AUTHORIZATION, "bearer abc.def.ghi"))
            .to_http_request();
        assert_eq!(bearer_token(&request), Some("abc.def.ghi"));
    }

    #[test]
    fn ignores_other_schemes_and_empty_tokens() {
        for value in ["Basic dXNlcjpwYXNz", "Bearer ", "Bearer", "abc"] {
            let request = TestRequest::default()
                .insert_header((header::AUTHORIZATION, value))
                .to_http_request();
            assert_eq!(bearer_token(&request), None, "{value}");
        }
        assert_eq!(
            bearer_token(&TestRequest::default().to_http_request()),
            None
        );
    }
}
