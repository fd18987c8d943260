mod bcrypt_hasher;
mod hashing_threads;
mod jwt_tokens;

pub use bcrypt_hasher::BcryptPasswordHasher;
pub use jwt_tokens::JwtTokens;
