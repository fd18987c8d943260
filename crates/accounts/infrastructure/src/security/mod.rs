mod bcrypt_hasher;
mod hashing_threads;
mod jwt_tokens;
mod random_refresh_tokens;

pub use bcrypt_hasher::BcryptPasswordHasher;
pub use jwt_tokens::JwtTokens;
pub use random_refresh_tokens::RandomRefreshTokens;
