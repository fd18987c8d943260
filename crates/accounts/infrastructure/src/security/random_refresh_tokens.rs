use accounts_application::ports::{NewRefreshToken, RefreshTokens};
use accounts_domain::RefreshTokenHash;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use shared_kernel_application::InfrastructureError;

/// How many random bytes a refresh token holds: 256 bits, as RFC 9700 asks of a token nobody
/// may guess.
const TOKEN_BYTES: usize = 32;

/// Refresh tokens of 32 bytes from the operating system's generator, in URL-safe base64
/// (43 characters); what is kept of one is its SHA-256 digest, in hex.
pub struct RandomRefreshTokens;

impl RefreshTokens for RandomRefreshTokens {
    fn generate(&self) -> Result<NewRefreshToken, InfrastructureError> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|error| {
            InfrastructureError::new("making a refresh token", error.to_string())
        })?;
        let token = URL_SAFE_NO_PAD.encode(bytes);
        Ok(NewRefreshToken {
            hash: self.digest(&token),
            token,
        })
    }

    fn digest(&self, presented: &str) -> RefreshTokenHash {
        RefreshTokenHash::new(format!("{:x}", Sha256::digest(presented.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_url_safe_unique_and_digested_the_same_way_twice() {
        let first = RandomRefreshTokens.generate().unwrap();
        let second = RandomRefreshTokens.generate().unwrap();

        assert_eq!(first.token.len(), 43);
        assert!(
            first
                .token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(first.token, second.token);
        assert_eq!(RandomRefreshTokens.digest(&first.token), first.hash);
        assert_eq!(first.hash.as_str().len(), 64);
        assert_ne!(
            first.hash.as_str(),
            first.token,
            "the token itself is not kept"
        );
    }
}
