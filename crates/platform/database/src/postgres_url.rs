//! The one reading of a PostgreSQL URL, for both drivers: what sqlx reads from it
//! (`PgConnectOptions::parse_from_url`, with the variables it falls back on), parameter by
//! parameter. sqlx's pool is given the URL itself and the TLS rules that `postgres_tls` reads
//! here; the readers are given a tokio-postgres `Config` built here, since tokio-postgres's own
//! parser knows libpq's keys only and refuses sqlx's others (`ssl-mode`, `options[…]`).
//!
//! One thing sqlx reads is not read here: a password file (`~/.pgpass`, `PGPASSFILE`). With
//! no password in the URL or `PGPASSWORD`, the readers connect without one, and a server that
//! asks for one stops start-up with its own words.

use std::net::IpAddr;
use std::path::Path;

use percent_encoding::percent_decode_str;
use tokio_postgres::Config;
use url::{Host, Url};

use crate::ConnectError;
use crate::postgres_tls::{PostgresTls, TlsParameters};

/// A PostgreSQL URL as both drivers connect with it.
#[derive(Debug, Clone)]
pub(crate) struct PostgresUrl {
    /// What the URL asks of TLS, for both drivers.
    pub(crate) tls: PostgresTls,
    /// Where and as whom the readers connect, TLS mode included; the pool's timeouts are the
    /// readers' to set.
    pub(crate) config: Config,
}

/// A part of the URL that sqlx would refuse as well.
#[derive(Debug, thiserror::Error)]
#[error("the database URL's {part} is not valid: {value:?}")]
pub struct InvalidPostgresUrl {
    part: &'static str,
    value: String,
}

impl PostgresUrl {
    /// Reads `url`, and the variables sqlx falls back on (`PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGPASSWORD`, `PGDATABASE`, `PGAPPNAME`, `PGOPTIONS`, `PGSSLMODE`, `PGSSLROOTCERT`,
    /// `PGSSLCERT`, `PGSSLKEY`). `None` for another database's URL, or one that does not
    /// parse: the driver says what is wrong with it.
    pub(crate) fn read(url: &str) -> Result<Option<Self>, ConnectError> {
        Self::read_with_env(url, |name| std::env::var(name).ok())
    }

    pub(crate) fn read_with_env(
        url: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, ConnectError> {
        let Ok(url) = Url::parse(url) else {
            return Ok(None);
        };
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Ok(None);
        }
        let mut reading = Reading::from_env(&env);
        reading.url_parts(&url)?;
        for (key, value) in url.query_pairs() {
            reading.parameter(&key, value.into_owned())?;
        }
        reading.finish()
    }
}

/// What sqlx would connect with, in the order it reads it: its defaults from the environment
/// first, then the URL's parts, then its parameters, the last one given winning.
struct Reading {
    /// A name or an address; a path for a Unix socket's folder, as in libpq.
    host: String,
    /// A Unix socket's folder given as such (`postgres://%2Fvar%2Frun%2Fpostgresql/app`, or
    /// `host=/var/run/postgresql`): it wins over `host`, which TLS would still be told.
    socket: Option<String>,
    port: u16,
    /// `None`: the user the process runs as, which tokio-postgres finds as sqlx does.
    user: Option<String>,
    password: Option<String>,
    database: Option<String>,
    application_name: Option<String>,
    options: Option<String>,
    tls: TlsParameters,
}

impl Reading {
    fn from_env(env: &impl Fn(&str) -> Option<String>) -> Self {
        let port = env("PGPORT")
            .and_then(|port| port.parse().ok())
            .unwrap_or(5432);
        Self {
            host: env("PGHOSTADDR")
                .or_else(|| env("PGHOST"))
                .unwrap_or_else(|| default_host(port)),
            socket: None,
            port,
            user: env("PGUSER"),
            password: env("PGPASSWORD"),
            database: env("PGDATABASE"),
            application_name: env("PGAPPNAME"),
            options: env("PGOPTIONS"),
            tls: TlsParameters {
                mode: env("PGSSLMODE"),
                root_cert: env("PGSSLROOTCERT"),
                client_cert: env("PGSSLCERT"),
                client_key: env("PGSSLKEY"),
            },
        }
    }

    /// The host, port, user, password and database before the `?`.
    fn url_parts(&mut self, url: &Url) -> Result<(), InvalidPostgresUrl> {
        if let Some(host) = url.host_str().filter(|host| !host.is_empty()) {
            let decoded = decoded("host", host)?;
            if decoded.starts_with('/') {
                self.socket = Some(decoded);
            } else {
                self.host = match url.host() {
                    // Without the brackets, which are the URL's and not the address's.
                    Some(Host::Ipv6(address)) => address.to_string(),
                    _ => host.to_owned(),
                };
            }
        }
        if let Some(port) = url.port() {
            self.port = port;
        }
        if !url.username().is_empty() {
            self.user = Some(decoded("user", url.username())?);
        }
        if let Some(password) = url.password() {
            self.password = Some(decoded("password", password)?);
        }
        let database = url.path().trim_start_matches('/');
        if !database.is_empty() {
            self.database = Some(decoded("database", database)?);
        }
        Ok(())
    }

    /// One `key=value` of the query, with sqlx's spellings; what sqlx ignores is ignored.
    fn parameter(&mut self, key: &str, value: String) -> Result<(), InvalidPostgresUrl> {
        let invalid = |part| InvalidPostgresUrl {
            part,
            value: value.clone(),
        };
        match key {
            "sslmode" | "ssl-mode" => self.tls.mode = Some(value),
            "sslrootcert" | "ssl-root-cert" | "ssl-ca" => self.tls.root_cert = Some(value),
            "sslcert" | "ssl-cert" => self.tls.client_cert = Some(value),
            "sslkey" | "ssl-key" => self.tls.client_key = Some(value),
            "host" if value.starts_with('/') => self.socket = Some(value),
            "host" => self.host = value,
            "hostaddr" => {
                value.parse::<IpAddr>().map_err(|_| invalid("hostaddr"))?;
                self.host = value;
            }
            "port" => self.port = value.parse().map_err(|_| invalid("port"))?,
            "dbname" => self.database = Some(value),
            "user" => self.user = Some(value),
            "password" => self.password = Some(value),
            "application_name" => self.application_name = Some(value),
            "options" => self.add_options(&value),
            _ => {
                if let Some(name) = key
                    .strip_prefix("options[")
                    .and_then(|rest| rest.strip_suffix(']'))
                {
                    self.add_options(&format!("-c {}", escaped(&format!("{name}={value}"))));
                }
                // Anything else is sqlx's own (`statement-cache-capacity`: its statements,
                // not the readers', which bound theirs) or unknown to it, which it ignores.
            }
        }
        Ok(())
    }

    fn add_options(&mut self, more: &str) {
        match &mut self.options {
            Some(options) => {
                options.push(' ');
                options.push_str(more);
            }
            None => self.options = Some(more.to_owned()),
        }
    }

    fn finish(self) -> Result<Option<PostgresUrl>, ConnectError> {
        let tls = PostgresTls::new(self.tls, format!("{}:{}", self.host, self.port))?;
        let mut config = Config::new();
        match &self.socket {
            Some(folder) => config.host_path(folder),
            None => config.host(&self.host),
        };
        config.port(self.port).ssl_mode(tls.driver_mode());
        if let Some(user) = &self.user {
            config.user(user);
        }
        if let Some(password) = &self.password {
            config.password(password);
        }
        if let Some(database) = &self.database {
            config.dbname(database);
        }
        if let Some(name) = &self.application_name {
            config.application_name(name);
        }
        // sqlx starts every session in UTC (a `TimeZone` parameter, which wins over the
        // options'): the readers' SQL must see the same time zone. sqlx's other parameters
        // (`DateStyle`, `extra_float_digits`) shape values sent as text; tokio-postgres reads
        // every value in its binary form.
        let options = match self.options {
            Some(options) => format!("{options} -c TimeZone=UTC"),
            None => "-c TimeZone=UTC".to_owned(),
        };
        config.options(&options);
        Ok(Some(PostgresUrl { tls, config }))
    }
}

fn decoded(part: &'static str, text: &str) -> Result<String, InvalidPostgresUrl> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| InvalidPostgresUrl {
            part,
            value: text.to_owned(),
        })
}

/// `option` with its spaces and backslashes escaped, as libpq's `options` wants them.
fn escaped(option: &str) -> String {
    let mut escaped = String::with_capacity(option.len());
    for character in option.chars() {
        if matches!(character, ' ' | '\\') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

/// sqlx's default host: the folder of a local server's Unix socket, where one is, or
/// `localhost`.
fn default_host(port: u16) -> String {
    let socket = format!(".s.PGSQL.{port}");
    ["/var/run/postgresql", "/private/tmp", "/tmp"]
        .into_iter()
        .find(|folder| Path::new(folder).join(&socket).exists())
        .unwrap_or("localhost")
        .to_owned()
}

#[cfg(test)]
mod tests;
