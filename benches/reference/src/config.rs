//! The few settings the reference reads, under the service's names.

use std::time::Duration;

pub struct Config {
    pub database_url: String,
    pub jwt_secret: String,
    pub host: String,
    pub port: u16,
    /// PostgreSQL: the pool's size (the service's default, 16).
    pub max_connections: usize,
    /// How long a session found in the database is trusted (`AUTH_KNOWN_USER_SECONDS`).
    pub known_caller_ttl: Duration,
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let number = |name: &str, default: u64| match var(name) {
            None => Ok(default),
            Some(value) => value
                .parse::<u64>()
                .map_err(|_| format!("{name}={value:?} is not a number")),
        };
        Ok(Self {
            database_url: var("DATABASE_URL").ok_or("DATABASE_URL is not set")?,
            jwt_secret: var("JWT_SECRET").ok_or("JWT_SECRET is not set")?,
            host: var("HOST").unwrap_or_else(|| "127.0.0.1".to_owned()),
            port: u16::try_from(number("PORT", 8001)?).map_err(|_| "PORT is too large")?,
            max_connections: usize::try_from(number("DATABASE_MAX_CONNECTIONS", 16)?)
                .map_err(|_| "DATABASE_MAX_CONNECTIONS is too large")?,
            known_caller_ttl: Duration::from_secs(number("AUTH_KNOWN_USER_SECONDS", 30)?),
        })
    }
}
