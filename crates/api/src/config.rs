//! Typed configuration from environment variables (and an optional `.env` file).
//!
//! Every variable has a default that makes `make run` work with no set-up, except what must
//! never have one in production (the JWT secret). A bad value stops start-up with one line
//! that names the variable and the reason.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroUsize;
use std::str::FromStr;

use accounts_domain::LoginThrottle;
use accounts_infrastructure::{AccountsSettings, JwtSecret};
use chrono::Duration;
use platform_outbox::delivery::RetryPolicy;
use platform_outbox::{IdempotencySettings, OutboxSettings};
use shared_kernel_entrypoints::TrustedProxies;
use shared_kernel_infrastructure::QueueLimits;

/// How log lines are written (`LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object a line: the default in production, where a collector reads them.
    Json,
    /// The human format: the default in development and tests.
    Pretty,
}

impl LogFormat {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// `LOG_FORMAT`, or the default of `APP_ENV`'s environment. Read before anything else,
    /// so that even a configuration error is logged in the chosen format.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let value = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        match value("LOG_FORMAT").as_deref().map(str::trim) {
            Some("json") => Ok(Self::Json),
            Some("pretty") => Ok(Self::Pretty),
            Some(other) => Err(ConfigError {
                variable: "LOG_FORMAT",
                reason: format!("{other:?} is not json or pretty"),
            }),
            None => Ok(match environment(value("APP_ENV"))? {
                Environment::Production => Self::Json,
                Environment::Development | Environment::Test => Self::Pretty,
            }),
        }
    }
}

/// Where the server runs; it decides how strict configuration is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
    Test,
}

#[derive(Clone)]
pub struct Settings {
    pub environment: Environment,
    pub database: DatabaseSettings,
    pub host: IpAddr,
    pub port: u16,
    /// `TRUSTED_PROXIES`: whose `X-Forwarded-For` names the client (docs/security.md).
    pub trusted_proxies: TrustedProxies,
    /// `CORS_ALLOWED_ORIGINS`: the browser origins that may call the API (none: no CORS).
    pub cors_allowed_origins: Vec<String>,
    /// `SHUTDOWN_TIMEOUT_SECONDS`: how long requests in flight may take to finish after
    /// SIGTERM or Ctrl-C.
    pub shutdown_timeout_seconds: u64,
    /// `METRICS_ADDR`: where Prometheus scrapes `/metrics`; `None` (set empty) turns it off.
    pub metrics_address: Option<SocketAddr>,
    pub accounts: AccountsSettings,
    pub outbox: OutboxSettings,
    /// `IDEMPOTENCY_KEY_TTL_HOURS`: how long a POST's `Idempotency-Key` replays its answer.
    pub idempotency: IdempotencySettings,
}

/// The `OUTBOX_*` variables (docs/events.md).
fn outbox_settings(value: impl Fn(&str) -> Option<String>) -> Result<OutboxSettings, ConfigError> {
    let millis = |variable: &'static str, default: u64| {
        parse_in_range(variable, value(variable), default, 1..=86_400_000)
            .map(std::time::Duration::from_millis)
    };
    let settings = OutboxSettings {
        retry: RetryPolicy {
            max_attempts: parse_in_range(
                "OUTBOX_MAX_ATTEMPTS",
                value("OUTBOX_MAX_ATTEMPTS"),
                10,
                1..=1000,
            )?,
            first_delay: millis("OUTBOX_RETRY_DELAY_MS", 1_000)?,
            max_delay: millis("OUTBOX_MAX_RETRY_DELAY_MS", 300_000)?,
        },
        poll_interval: millis("OUTBOX_POLL_INTERVAL_MS", 1_000)?,
        claim_lease: millis("OUTBOX_CLAIM_LEASE_MS", 30_000)?,
        retention: retention(value("OUTBOX_RETENTION_HOURS"))?,
    };
    if settings.retry.max_delay < settings.retry.first_delay {
        return Err(ConfigError {
            variable: "OUTBOX_MAX_RETRY_DELAY_MS",
            reason: "must not be below OUTBOX_RETRY_DELAY_MS".into(),
        });
    }
    Ok(settings)
}

/// `OUTBOX_RETENTION_HOURS`: how long delivered events and their inbox rows are kept, 168
/// hours (a week) by default, up to ten years; 0 keeps them for ever. Whole hours: the
/// shortest retention must still outlast any delivery in flight, whose handlers count on
/// the inbox rows of its event (docs/events.md#retention).
fn retention(raw: Option<String>) -> Result<Option<std::time::Duration>, ConfigError> {
    let hours: u64 = parse_in_range("OUTBOX_RETENTION_HOURS", raw, 168, 0..=87_600)?;
    Ok((hours > 0).then(|| std::time::Duration::from_secs(hours * 3600)))
}

/// `IDEMPOTENCY_KEY_TTL_HOURS`: how long a key replays its request's first answer, 24 hours
/// by default (a day of a client's retries), 1 hour to a year. Whole hours: a key must outlast
/// any retry a client makes after a timeout, and the table holds one row per key meanwhile.
fn idempotency_settings(raw: Option<String>) -> Result<IdempotencySettings, ConfigError> {
    let hours: u64 = parse_in_range("IDEMPOTENCY_KEY_TTL_HOURS", raw, 24, 1..=8_760)?;
    Ok(IdempotencySettings::with_ttl(
        std::time::Duration::from_secs(hours * 3600),
    ))
}

/// What the database tools (`api migrate`) need, and nothing more: they must run without the
/// server's secrets.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub environment: Environment,
    pub url: String,
    pub max_connections: u32,
    /// `DATABASE_TIMEOUT_MS`: how long to wait for the database before answering 503.
    pub timeout: std::time::Duration,
    /// `QUEUE_MAX_JOBS` and `QUEUE_TIMEOUT_MS`: the bounds of every queue between the
    /// listener and the database (the SQLite writer and readers, password hashing).
    pub queue: QueueLimits,
}

impl DatabaseSettings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let value = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let url = value("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|scheme| url.starts_with(scheme))
        {
            return Err(ConfigError {
                variable: "DATABASE_URL",
                reason: "must start with sqlite: or postgres://".into(),
            });
        }
        Ok(Self {
            environment: environment(value("APP_ENV"))?,
            max_connections: parse_in_range(
                "DATABASE_MAX_CONNECTIONS",
                value("DATABASE_MAX_CONNECTIONS"),
                default_max_connections(&url),
                1..=1000,
            )?,
            timeout: std::time::Duration::from_millis(parse_in_range(
                "DATABASE_TIMEOUT_MS",
                value("DATABASE_TIMEOUT_MS"),
                2_000,
                1..=600_000,
            )?),
            queue: QueueLimits {
                max_jobs: parse_in_range(
                    "QUEUE_MAX_JOBS",
                    value("QUEUE_MAX_JOBS"),
                    1_024,
                    1..=1_000_000,
                )?,
                max_wait: std::time::Duration::from_millis(parse_in_range(
                    "QUEUE_TIMEOUT_MS",
                    value("QUEUE_TIMEOUT_MS"),
                    2_000,
                    1..=600_000,
                )?),
            },
            url,
        })
    }
}

/// SQLite reads on one thread per reader connection (ADR 0013), and a query keeps its reader
/// busy from start to end. Readers beyond the cores only add threads and page caches (ADR
/// 0013's measurement: 4 readers served no more than 2 on 2 cores, with 8 MiB more), and
/// fewer than 2 would let one slow read (a cold page, a busy wait) hold up every other. Its
/// writer has a connection of its own (`connect_pools`). A PostgreSQL pool waits on the
/// network and the server, so it wants more.
fn default_max_connections(url: &str) -> u32 {
    if url.starts_with("sqlite:") {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        u32::try_from(cores.clamp(2, 4)).unwrap_or(2)
    } else {
        16
    }
}

fn environment(raw: Option<String>) -> Result<Environment, ConfigError> {
    match raw.as_deref().map(str::trim) {
        None | Some("development") => Ok(Environment::Development),
        Some("production") => Ok(Environment::Production),
        Some("test") => Ok(Environment::Test),
        Some(other) => Err(ConfigError {
            variable: "APP_ENV",
            reason: format!("must be development, production or test, not {other:?}"),
        }),
    }
}

/// Dropping every table (`migrate fresh`, `seed --reset`) with APP_ENV=production needs an
/// explicit `--force`: it deletes all the data.
pub fn ensure_reset_allowed(environment: Environment, force: bool) -> Result<(), ResetRefused> {
    if environment == Environment::Production && !force {
        Err(ResetRefused)
    } else {
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("refusing to drop every table with APP_ENV=production; add --force")]
pub struct ResetRefused;

/// A variable that has a value the server cannot run with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub reason: String,
}

/// Said once logging is up: configuration that works but should not go unnoticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning(pub String);

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/app.db";

/// Only for development and tests: anyone can read it here.
const DEVELOPMENT_JWT_SECRET: &str = "development-only-secret-do-not-use-in-production!";

impl Settings {
    /// Reads the process environment (after loading `.env` if there is one).
    pub fn from_env() -> Result<(Self, Vec<ConfigWarning>), ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so that tests need not touch the process
    /// environment.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<(Self, Vec<ConfigWarning>), ConfigError> {
        let value = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut warnings = Vec::new();

        let database = DatabaseSettings::from_lookup(&lookup)?;
        let environment = database.environment;
        let queue = database.queue;

        let jwt_secret = match (value("JWT_SECRET"), environment) {
            (Some(secret), Environment::Production)
                if secret.len() < JwtSecret::MIN_PRODUCTION_BYTES =>
            {
                return Err(ConfigError {
                    variable: "JWT_SECRET",
                    reason: format!(
                        "must be at least {} bytes in production (it is {})",
                        JwtSecret::MIN_PRODUCTION_BYTES,
                        secret.len()
                    ),
                });
            }
            (Some(secret), _) => JwtSecret::new(secret),
            (None, Environment::Production) => {
                return Err(ConfigError {
                    variable: "JWT_SECRET",
                    reason: format!(
                        "must be set in production, to a random string of at least {} bytes",
                        JwtSecret::MIN_PRODUCTION_BYTES
                    ),
                });
            }
            (None, _) => {
                warnings.push(ConfigWarning(
                    "JWT_SECRET is not set: using a fixed development secret. Anyone can forge \
                     tokens for this server; set JWT_SECRET before exposing it."
                        .into(),
                ));
                JwtSecret::new(DEVELOPMENT_JWT_SECRET)
            }
        };

        // The abuse limits (docs/security.md): 0 turns one off.
        let limit = |variable: &'static str, default: u32| {
            parse_in_range(variable, value(variable), default, 0..=1_000_000)
        };
        let settings = Settings {
            environment,
            database,
            host: parse("HOST", value("HOST"), IpAddr::from([127, 0, 0, 1]))?,
            port: parse("PORT", value("PORT"), 8000)?,
            trusted_proxies: value("TRUSTED_PROXIES")
                .map(|list| list.parse())
                .transpose()
                .map_err(|reason| ConfigError {
                    variable: "TRUSTED_PROXIES",
                    reason,
                })?
                .unwrap_or_default(),
            cors_allowed_origins: cors_origins(value("CORS_ALLOWED_ORIGINS"))?,
            shutdown_timeout_seconds: parse_in_range(
                "SHUTDOWN_TIMEOUT_SECONDS",
                value("SHUTDOWN_TIMEOUT_SECONDS"),
                30,
                0..=3600,
            )?,
            metrics_address: metrics_address(lookup("METRICS_ADDR"))?,
            accounts: AccountsSettings {
                jwt_secret,
                access_token_lifetime: Duration::minutes(parse_in_range(
                    "ACCESS_TOKEN_EXPIRE_MINUTES",
                    value("ACCESS_TOKEN_EXPIRE_MINUTES"),
                    15,
                    1..=60 * 24 * 30,
                )?),
                refresh_token_lifetime: Duration::days(parse_in_range(
                    "REFRESH_TOKEN_EXPIRE_DAYS",
                    value("REFRESH_TOKEN_EXPIRE_DAYS"),
                    30,
                    1..=365,
                )?),
                known_user_ttl: std::time::Duration::from_secs(parse_in_range(
                    "AUTH_KNOWN_USER_SECONDS",
                    value("AUTH_KNOWN_USER_SECONDS"),
                    30,
                    0..=3600,
                )?),
                bcrypt_cost: parse_in_range("BCRYPT_COST", value("BCRYPT_COST"), 12, 4..=31)?,
                throttle: LoginThrottle {
                    max_failures: limit("LOGIN_MAX_FAILURES", 5)?,
                    max_failures_per_hour: limit("LOGIN_MAX_FAILURES_PER_HOUR", 100)?,
                },
                login_rate_per_minute: limit("LOGIN_RATE_PER_MINUTE", 30)?,
                register_rate_per_hour: limit("REGISTER_RATE_PER_HOUR", 20)?,
                hashing_queue: queue,
            },
            outbox: outbox_settings(value)?,
            idempotency: idempotency_settings(value("IDEMPOTENCY_KEY_TTL_HOURS"))?,
        };
        if settings.environment == Environment::Production && settings.accounts.bcrypt_cost < 10 {
            warnings.push(ConfigWarning(format!(
                "BCRYPT_COST is {} in production: passwords are cheap to brute-force below 10",
                settings.accounts.bcrypt_cost
            )));
        }
        Ok((settings, warnings))
    }
}

/// `METRICS_ADDR`: unset, the loopback port 9100 (private by default); empty, no metrics.
fn metrics_address(raw: Option<String>) -> Result<Option<SocketAddr>, ConfigError> {
    match raw {
        None => Ok(Some(SocketAddr::from(([127, 0, 0, 1], 9100)))),
        Some(raw) if raw.trim().is_empty() => Ok(None),
        Some(raw) => parse(
            "METRICS_ADDR",
            Some(raw),
            SocketAddr::from(([0, 0, 0, 0], 0)),
        )
        .map(Some),
    }
}

/// `CORS_ALLOWED_ORIGINS`: comma-separated origins, each `http(s)://host[:port]`, nothing after.
fn cors_origins(raw: Option<String>) -> Result<Vec<String>, ConfigError> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            match host {
                Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', '*', ' ']) => {
                    Ok(origin.to_owned())
                }
                _ => Err(ConfigError {
                    variable: "CORS_ALLOWED_ORIGINS",
                    reason: format!("{origin:?} is not an origin such as https://app.example.com"),
                }),
            }
        })
        .collect()
}

fn parse<T: FromStr>(
    variable: &'static str,
    raw: Option<String>,
    default: T,
) -> Result<T, ConfigError>
where
    T::Err: fmt::Display,
{
    match raw {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|error| ConfigError {
            variable,
            reason: format!("{raw:?} is not valid: {error}"),
        }),
    }
}

fn parse_in_range<T>(
    variable: &'static str,
    raw: Option<String>,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: FromStr + PartialOrd + fmt::Display + Copy,
    T::Err: fmt::Display,
{
    let value = parse(variable, raw, default)?;
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError {
            variable,
            reason: format!(
                "must be between {} and {} (it is {value})",
                range.start(),
                range.end()
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<(Settings, Vec<ConfigWarning>), ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_need_no_set_up_in_development() {
        let (settings, warnings) = settings(&[]).unwrap();
        assert_eq!(settings.environment, Environment::Development);
        assert_eq!(settings.database.url, DEFAULT_DATABASE_URL);
        assert_eq!(settings.host.to_string(), "127.0.0.1");
        assert_eq!(settings.port, 8000);
        assert_eq!(
            settings.accounts.access_token_lifetime,
            Duration::minutes(15)
        );
        assert_eq!(settings.accounts.refresh_token_lifetime, Duration::days(30));
        assert_eq!(
            settings.accounts.known_user_ttl,
            std::time::Duration::from_secs(30)
        );
        assert_eq!(settings.accounts.bcrypt_cost, 12);
        assert_eq!(
            settings.accounts.throttle,
            LoginThrottle {
                max_failures: 5,
                max_failures_per_hour: 100
            }
        );
        assert_eq!(settings.accounts.login_rate_per_minute, 30);
        assert_eq!(settings.accounts.register_rate_per_hour, 20);
        assert_eq!(settings.trusted_proxies, TrustedProxies::default());
        assert!(settings.cors_allowed_origins.is_empty());
        assert_eq!(settings.shutdown_timeout_seconds, 30);
        assert_eq!(settings.outbox.retry, RetryPolicy::default());
        assert_eq!(
            settings.outbox.claim_lease,
            std::time::Duration::from_secs(30)
        );
        assert_eq!(
            settings.outbox.retention,
            Some(std::time::Duration::from_secs(7 * 24 * 3600))
        );
        assert_eq!(
            settings.idempotency,
            IdempotencySettings {
                key_ttl: std::time::Duration::from_secs(24 * 3600),
                claim_lease: std::time::Duration::from_secs(30),
            }
        );
        assert_eq!(
            settings.accounts.jwt_secret.as_bytes(),
            DEVELOPMENT_JWT_SECRET.as_bytes()
        );
        assert!(warnings[0].0.contains("JWT_SECRET"));
    }

    #[test]
    fn production_refuses_a_missing_or_short_secret() {
        let missing = settings(&[("APP_ENV", "production")]).err().unwrap();
        assert_eq!(missing.variable, "JWT_SECRET");

        let short = settings(&[("APP_ENV", "production"), ("JWT_SECRET", "short")])
            .err()
            .unwrap();
        assert_eq!(short.variable, "JWT_SECRET");
        assert!(short.reason.contains("32"));

        let (ok, warnings) =
            settings(&[("APP_ENV", "production"), ("JWT_SECRET", &"s".repeat(32))]).unwrap();
        assert_eq!(ok.environment, Environment::Production);
        assert!(warnings.is_empty());
    }

    #[test]
    fn timeouts_queues_and_metrics_have_defaults_and_can_be_set() {
        let (defaults, _) = settings(&[]).unwrap();
        assert_eq!(defaults.database.timeout, std::time::Duration::from_secs(2));
        assert_eq!(defaults.database.queue, QueueLimits::default());
        assert_eq!(defaults.accounts.hashing_queue, QueueLimits::default());
        assert_eq!(
            defaults.metrics_address,
            Some(SocketAddr::from(([127, 0, 0, 1], 9100)))
        );

        let (set, _) = settings(&[
            ("DATABASE_TIMEOUT_MS", "500"),
            ("QUEUE_MAX_JOBS", "8"),
            ("QUEUE_TIMEOUT_MS", "250"),
            ("METRICS_ADDR", "0.0.0.0:9200"),
        ])
        .unwrap();
        let limits = QueueLimits {
            max_jobs: 8,
            max_wait: std::time::Duration::from_millis(250),
        };
        assert_eq!(set.database.timeout, std::time::Duration::from_millis(500));
        assert_eq!(
            (set.database.queue, set.accounts.hashing_queue),
            (limits, limits)
        );
        assert_eq!(
            set.metrics_address,
            Some(SocketAddr::from(([0, 0, 0, 0], 9200)))
        );
        let (off, _) = settings(&[("METRICS_ADDR", "")]).unwrap();
        assert_eq!(off.metrics_address, None, "empty turns metrics off");
    }

    #[test]
    fn logs_are_json_in_production_and_pretty_elsewhere_unless_told() {
        let format = |vars: &[(&str, &str)]| {
            let vars: HashMap<&str, &str> = vars.iter().copied().collect();
            LogFormat::from_lookup(|name| vars.get(name).map(|v| (*v).to_owned()))
        };
        assert_eq!(format(&[]).unwrap(), LogFormat::Pretty);
        assert_eq!(
            format(&[("APP_ENV", "production")]).unwrap(),
            LogFormat::Json
        );
        assert_eq!(
            format(&[("APP_ENV", "production"), ("LOG_FORMAT", "pretty")]).unwrap(),
            LogFormat::Pretty
        );
        assert_eq!(format(&[("LOG_FORMAT", "json")]).unwrap(), LogFormat::Json);
        assert_eq!(
            format(&[("LOG_FORMAT", "xml")]).unwrap_err().variable,
            "LOG_FORMAT"
        );
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        for (variable, value) in [
            ("PORT", "eighty"),
            ("PORT", "70000"),
            ("HOST", "localhost:80"),
            ("BCRYPT_COST", "3"),
            ("BCRYPT_COST", "32"),
            ("ACCESS_TOKEN_EXPIRE_MINUTES", "0"),
            ("REFRESH_TOKEN_EXPIRE_DAYS", "0"),
            ("REFRESH_TOKEN_EXPIRE_DAYS", "a month"),
            ("LOGIN_MAX_FAILURES", "-1"),
            ("LOGIN_MAX_FAILURES_PER_HOUR", "many"),
            ("LOGIN_RATE_PER_MINUTE", "1.5"),
            ("REGISTER_RATE_PER_HOUR", "x"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal"),
            ("CORS_ALLOWED_ORIGINS", "https://app.example.com/"),
            ("CORS_ALLOWED_ORIGINS", "*"),
            ("SHUTDOWN_TIMEOUT_SECONDS", "forever"),
            ("APP_ENV", "staging"),
            ("DATABASE_URL", "mysql://localhost/db"),
            ("OUTBOX_MAX_ATTEMPTS", "0"),
            ("OUTBOX_RETRY_DELAY_MS", "soon"),
            ("OUTBOX_MAX_RETRY_DELAY_MS", "10"),
            ("OUTBOX_POLL_INTERVAL_MS", "0"),
            ("OUTBOX_CLAIM_LEASE_MS", "-1"),
            ("DATABASE_TIMEOUT_MS", "0"),
            ("QUEUE_MAX_JOBS", "0"),
            ("QUEUE_TIMEOUT_MS", "two seconds"),
            ("METRICS_ADDR", "localhost"),
            ("OUTBOX_RETENTION_HOURS", "-1"),
            ("OUTBOX_RETENTION_HOURS", "87601"),
            ("OUTBOX_RETENTION_HOURS", "a week"),
            ("IDEMPOTENCY_KEY_TTL_HOURS", "0"),
            ("IDEMPOTENCY_KEY_TTL_HOURS", "8761"),
            ("IDEMPOTENCY_KEY_TTL_HOURS", "a day"),
        ] {
            let error = settings(&[(variable, value)]).err().unwrap();
            assert_eq!(error.variable, variable, "{variable}={value}");
            assert!(error.to_string().starts_with(variable));
        }
    }

    #[test]
    fn reads_every_variable() {
        let (settings, _) = settings(&[
            ("APP_ENV", "test"),
            ("DATABASE_URL", "postgres://u@localhost/tasks"),
            ("HOST", "0.0.0.0"),
            ("PORT", "9000"),
            ("JWT_SECRET", "s3cret"),
            ("ACCESS_TOKEN_EXPIRE_MINUTES", "15"),
            ("BCRYPT_COST", "4"),
            ("OUTBOX_MAX_ATTEMPTS", "3"),
            ("OUTBOX_RETRY_DELAY_MS", "50"),
            ("OUTBOX_MAX_RETRY_DELAY_MS", "200"),
            ("OUTBOX_POLL_INTERVAL_MS", "20"),
            ("OUTBOX_CLAIM_LEASE_MS", "500"),
            ("OUTBOX_RETENTION_HOURS", "24"),
            ("IDEMPOTENCY_KEY_TTL_HOURS", "48"),
        ])
        .unwrap();
        assert_eq!(settings.environment, Environment::Test);
        assert_eq!(settings.database.url, "postgres://u@localhost/tasks");
        assert_eq!(settings.host.to_string(), "0.0.0.0");
        assert_eq!(settings.port, 9000);
        assert_eq!(settings.accounts.jwt_secret.as_bytes(), b"s3cret");
        assert_eq!(
            settings.accounts.access_token_lifetime,
            Duration::minutes(15)
        );
        assert_eq!(settings.accounts.bcrypt_cost, 4);
        let ms = std::time::Duration::from_millis;
        assert_eq!(
            settings.outbox,
            OutboxSettings {
                retry: RetryPolicy {
                    max_attempts: 3,
                    first_delay: ms(50),
                    max_delay: ms(200),
                },
                poll_interval: ms(20),
                claim_lease: ms(500),
                retention: Some(std::time::Duration::from_secs(24 * 3600)),
            }
        );
        assert_eq!(
            settings.idempotency.key_ttl,
            std::time::Duration::from_secs(48 * 3600)
        );
    }

    #[test]
    fn a_retention_of_zero_hours_keeps_delivered_events_for_ever() {
        let retention = |hours| {
            settings(&[("OUTBOX_RETENTION_HOURS", hours)])
                .unwrap()
                .0
                .outbox
                .retention
        };
        assert_eq!(retention("0"), None);
        assert_eq!(
            retention("87600"),
            Some(std::time::Duration::from_secs(87_600 * 3600))
        );
    }

    #[test]
    fn database_tools_need_no_secret_even_in_production() {
        let vars = [
            ("APP_ENV", "production"),
            ("DATABASE_URL", "postgres://h/db"),
        ];
        let database = DatabaseSettings::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .unwrap();
        assert_eq!(database.environment, Environment::Production);
        assert_eq!(database.url, "postgres://h/db");
        assert!(
            settings(&vars).is_err(),
            "the server itself still needs JWT_SECRET"
        );
    }

    #[test]
    fn the_pool_size_defaults_to_what_each_database_needs() {
        let pool = |vars: &[(&str, &str)]| {
            DatabaseSettings::from_lookup(|name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            })
            .unwrap()
            .max_connections
        };
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        let readers = usize::try_from(pool(&[])).unwrap();
        let expected = match cores {
            0..=2 => 2,
            3 => 3,
            _ => 4,
        };
        assert_eq!(
            readers, expected,
            "the default SQLite file, on {cores} cores"
        );
        assert_eq!(pool(&[("DATABASE_URL", "postgres://h/db")]), 16);
        assert_eq!(
            pool(&[
                ("DATABASE_URL", "sqlite://x.db"),
                ("DATABASE_MAX_CONNECTIONS", "9")
            ]),
            9
        );
    }

    #[test]
    fn dropping_every_table_in_production_needs_force() {
        assert_eq!(
            ensure_reset_allowed(Environment::Production, false),
            Err(ResetRefused)
        );
        assert_eq!(ensure_reset_allowed(Environment::Production, true), Ok(()));
        assert_eq!(
            ensure_reset_allowed(Environment::Development, false),
            Ok(())
        );
    }

    #[test]
    fn the_secret_never_shows_in_debug_output() {
        assert_eq!(format!("{:?}", JwtSecret::new("hunter2")), "JwtSecret(***)");
    }
}
