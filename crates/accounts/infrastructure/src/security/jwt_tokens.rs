use std::sync::Arc;

use accounts_application::ports::{
    AccessToken, InvalidToken, TokenIssuer, TokenVerifier, VerifiedToken,
};
use accounts_contracts::SessionId;
use chrono::Duration;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use shared_kernel_application::InfrastructureError;
use shared_kernel_domain::{Clock, UserId};

/// HS256 access tokens with the claims `sub` (the user id), `sid` (the session's id), `iat`
/// and `exp`. A token without `sid` (issued before sessions existed) still verifies.
pub struct JwtTokens {
    encoding_key: EncodingKey,
    decoding_key: DecodingKey,
    validation: Validation,
    lifetime: Duration,
    clock: Arc<dyn Clock>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
    iat: i64,
    exp: i64,
}

impl JwtTokens {
    pub fn new(secret: &[u8], lifetime: Duration, clock: Arc<dyn Clock>) -> Self {
        // Only HS256 is accepted: a token claiming `alg: none` or any other algorithm is
        // refused before its signature is even looked at.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        // One server issues and checks the tokens: no clock skew to allow for.
        validation.leeway = 0;
        Self {
            encoding_key: EncodingKey::from_secret(secret),
            decoding_key: DecodingKey::from_secret(secret),
            validation,
            lifetime,
            clock,
        }
    }
}

impl TokenIssuer for JwtTokens {
    fn issue(
        &self,
        user_id: UserId,
        session_id: SessionId,
    ) -> Result<AccessToken, InfrastructureError> {
        let now = self.clock.now();
        let claims = Claims {
            sub: user_id.to_string(),
            sid: Some(session_id.to_string()),
            iat: now.timestamp(),
            exp: (now + self.lifetime).timestamp(),
        };
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding_key)
                .map_err(InfrastructureError::during("signing an access token"))?;
        Ok(AccessToken {
            token,
            expires_in_seconds: u64::try_from(self.lifetime.num_seconds()).unwrap_or(0),
        })
    }
}

impl TokenVerifier for JwtTokens {
    fn verify(&self, token: &str) -> Result<VerifiedToken, InvalidToken> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding_key, &self.validation)
            .map_err(|_| InvalidToken)?
            .claims;
        let session_id = match claims.sid {
            Some(sid) => Some(SessionId::from_uuid(sid.parse().map_err(|_| InvalidToken)?)),
            None => None,
        };
        Ok(VerifiedToken {
            user_id: claims.sub.parse().map_err(|_| InvalidToken)?,
            session_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use shared_kernel_domain::FixedClock;

    use super::*;

    const SECRET: &[u8] = b"a-test-secret-that-is-at-least-32-bytes";

    fn tokens_at(now: chrono::DateTime<Utc>) -> JwtTokens {
        JwtTokens::new(SECRET, Duration::minutes(60), Arc::new(FixedClock::at(now)))
    }

    #[test]
    fn a_token_it_issued_verifies_as_its_user() {
        let tokens = tokens_at(Utc::now());
        let user = UserId::new();
        let session = SessionId::new();

        let token = tokens.issue(user, session).unwrap();

        assert_eq!(token.expires_in_seconds, 3600);
        assert_eq!(
            tokens.verify(&token.token),
            Ok(VerifiedToken {
                user_id: user,
                session_id: Some(session)
            })
        );
    }

    #[test]
    fn a_token_from_before_sessions_verifies_without_a_session() {
        let now = Utc::now();
        let user = UserId::new();
        let legacy = Claims {
            sub: user.to_string(),
            sid: None,
            iat: now.timestamp(),
            exp: (now + Duration::minutes(5)).timestamp(),
        };
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &legacy,
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap();

        assert_eq!(
            tokens_at(now).verify(&token),
            Ok(VerifiedToken {
                user_id: user,
                session_id: None
            })
        );
    }

    #[test]
    fn an_expired_token_is_refused() {
        let issued_two_hours_ago = tokens_at(Utc::now() - Duration::hours(2));
        let token = issued_two_hours_ago
            .issue(UserId::new(), SessionId::new())
            .unwrap();

        assert_eq!(
            tokens_at(Utc::now()).verify(&token.token),
            Err(InvalidToken)
        );
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let other = JwtTokens::new(
            b"another-secret-that-is-at-least-32-bytes",
            Duration::minutes(60),
            Arc::new(FixedClock::at(Utc::now())),
        );
        let token = other.issue(UserId::new(), SessionId::new()).unwrap();

        assert_eq!(
            tokens_at(Utc::now()).verify(&token.token),
            Err(InvalidToken)
        );
    }

    #[test]
    fn a_tampered_token_is_refused() {
        let tokens = tokens_at(Utc::now());
        let token = tokens.issue(UserId::new(), SessionId::new()).unwrap().token;
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        // Swap in the claims of another user, keeping the original signature.
        let forged = tokens.issue(UserId::new(), SessionId::new()).unwrap().token;
        parts[1] = forged.split('.').nth(1).unwrap().to_owned();

        assert_eq!(tokens.verify(&parts.join(".")), Err(InvalidToken));
    }

    #[test]
    fn an_unsigned_token_is_refused() {
        // {"alg":"none","typ":"JWT"} . {"sub":<uuid>,"iat":..,"exp":..} . (no signature)
        let header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";
        let claims = "eyJzdWIiOiIwMTkzMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDAiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6NDEwMjQ0NDgwMH0";
        let tokens = tokens_at(Utc::now());

        assert_eq!(
            tokens.verify(&format!("{header}.{claims}.")),
            Err(InvalidToken)
        );
    }

    #[test]
    fn garbage_is_refused() {
        let tokens = tokens_at(Utc::now());
        for garbage in ["", "abc", "a.b.c", "...."] {
            assert_eq!(tokens.verify(garbage), Err(InvalidToken));
        }
    }
}
