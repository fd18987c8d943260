//! TLS to PostgreSQL (docs/operations.md, "TLS to PostgreSQL"; ADR 0021).
//!
//! sqlx reads `sslmode` and `sslrootcert` from the URL itself and does the handshake with
//! rustls. What is here closes the gaps where it would surprise someone who knows libpq's
//! documentation, and puts a failed handshake in one line that says what is wrong:
//!
//! - `sslmode=require` with a CA file checks the CA, as `verify-ca` does: libpq's rule, which
//!   sqlx's own documentation states but its code does not follow (it ignores the file).
//! - `sslrootcert=system` means the public roots built in, and asks for `verify-full`, as in
//!   libpq 16; sqlx would look for a file named `system`.
//! - The CA file is read before the first connection, so that a wrong path or a DER file is
//!   said as such, instead of as an I/O error of the connection without the path.

use std::path::PathBuf;

use rustls::CertificateError;
use sea_orm::sqlx;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgSslMode};
use sea_orm::{DbErr, RuntimeErr};
use url::Url;

/// What a PostgreSQL URL asks of TLS, as the driver will be told to do it.
#[derive(Debug, Clone)]
pub(crate) struct PostgresTls {
    mode: PgSslMode,
    /// `sslmode=require` checked as `verify-ca`, because of a CA file.
    require_checks_ca: bool,
    roots: Roots,
    /// `host:port`, for messages.
    server: String,
}

/// The certificate authorities a verifying mode trusts. sqlx always trusts the public roots
/// built in (webpki-roots) and adds `sslrootcert`'s to them: unlike libpq, the file widens
/// the set rather than replacing it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Roots {
    /// No `sslrootcert`: the public roots only.
    Public,
    /// `sslrootcert=system`: the same public roots, in libpq's words.
    System,
    /// `sslrootcert=<file>`: the file's certificates as well.
    File(PathBuf),
    /// `PGSSLROOTCERT` holding the certificates themselves (sqlx accepts PEM there).
    Inline,
}

/// Why TLS to PostgreSQL cannot be set up, or failed.
#[derive(Debug, thiserror::Error)]
pub enum PostgresTlsError {
    #[error(
        "sslmode={value:?} is not one of disable, allow, prefer, require, verify-ca, verify-full"
    )]
    UnknownMode { value: String },
    #[error("sslrootcert=system is for sslmode=verify-full (or no sslmode), not sslmode={mode}")]
    WeakModeWithSystemRoots { mode: &'static str },
    #[error("could not read sslrootcert {}", path.display())]
    UnreadableRootCert {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "sslrootcert {} holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)",
        path.display()
    )]
    NoCertificate { path: PathBuf },
    #[error("TLS to PostgreSQL at {server} failed (sslmode={mode}): {reason}")]
    Handshake {
        server: String,
        /// The mode, as the URL says it and as it was enforced.
        mode: String,
        reason: String,
    },
}

impl PostgresTls {
    /// Reads the TLS parameters of `url`, and the variables sqlx falls back on (`PGSSLMODE`,
    /// `PGSSLROOTCERT`). `None` for another database's URL, or one that does not parse: the
    /// driver says what is wrong with it.
    pub(crate) fn from_url(url: &str) -> Result<Option<Self>, PostgresTlsError> {
        Self::from_url_and_env(url, |name| std::env::var(name).ok())
    }

    fn from_url_and_env(
        url: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, PostgresTlsError> {
        let Ok(url) = Url::parse(url) else {
            return Ok(None);
        };
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Ok(None);
        }
        // sqlx's spellings of each parameter; the last one given wins, as in sqlx.
        let (mut mode, mut root_cert) = (None, None);
        for (key, value) in url.query_pairs() {
            match &*key {
                "sslmode" | "ssl-mode" => mode = Some(value.into_owned()),
                "sslrootcert" | "ssl-root-cert" | "ssl-ca" => root_cert = Some(value.into_owned()),
                _ => {}
            }
        }
        let roots = match root_cert.or_else(|| env("PGSSLROOTCERT")) {
            None => Roots::Public,
            Some(value) if value == "system" => Roots::System,
            Some(value) if value.trim_start().starts_with("-----BEGIN") => Roots::Inline,
            Some(path) => Roots::File(PathBuf::from(path)),
        };
        let requested = match mode.or_else(|| env("PGSSLMODE")) {
            None => None,
            Some(value) => Some(
                value
                    .parse::<PgSslMode>()
                    .map_err(|_| PostgresTlsError::UnknownMode { value })?,
            ),
        };
        let require_checks_ca = matches!(requested, Some(PgSslMode::Require))
            && matches!(roots, Roots::File(_) | Roots::Inline);
        let mode = match (requested, &roots) {
            (None | Some(PgSslMode::VerifyFull), Roots::System) => PgSslMode::VerifyFull,
            (Some(weaker), Roots::System) => {
                return Err(PostgresTlsError::WeakModeWithSystemRoots {
                    mode: mode_name(weaker),
                });
            }
            _ if require_checks_ca => PgSslMode::VerifyCa,
            (requested, _) => requested.unwrap_or_default(),
        };
        let server = format!(
            "{}:{}",
            url.host_str().unwrap_or("localhost"),
            url.port().unwrap_or(5432)
        );
        Ok(Some(Self {
            mode,
            require_checks_ca,
            roots,
            server,
        }))
    }

    /// Checks, before the first connection, that the CA file a verifying mode will read holds
    /// certificates. sqlx reads it on every connection; a missing file would otherwise show
    /// as "No such file or directory" with no path, and a DER file as an unknown CA.
    pub(crate) fn check_root_cert(&self) -> Result<(), PostgresTlsError> {
        let Roots::File(path) = &self.roots else {
            return Ok(());
        };
        if !verifies(self.mode) {
            return Ok(());
        }
        let contents =
            std::fs::read(path).map_err(|source| PostgresTlsError::UnreadableRootCert {
                path: path.clone(),
                source,
            })?;
        let pem = String::from_utf8_lossy(&contents);
        if !pem.contains("-----BEGIN CERTIFICATE-----") {
            return Err(PostgresTlsError::NoCertificate { path: path.clone() });
        }
        Ok(())
    }

    /// The driver's options as this module's rules want them (the module's header).
    pub(crate) fn apply(&self, options: PgConnectOptions) -> PgConnectOptions {
        let options = options.ssl_mode(self.mode);
        match self.roots {
            // No certificates of its own: sqlx then trusts only the public roots it has built
            // in, which is what `system` stands for here.
            Roots::System => options.ssl_root_cert_from_pem(Vec::new()),
            _ => options,
        }
    }

    /// What went wrong with TLS, if a failed connection failed there.
    pub(crate) fn failure(&self, error: &DbErr) -> Option<PostgresTlsError> {
        let DbErr::Conn(RuntimeErr::SqlxError(error)) = error else {
            return None;
        };
        let reason = match &**error {
            // The server said no to TLS, or the driver could not set it up (a bad file).
            sqlx::Error::Tls(reason) => reason.to_string(),
            // rustls fails the handshake through the socket, as an I/O error that carries it.
            sqlx::Error::Io(io) => {
                let tls = io.get_ref()?.downcast_ref::<rustls::Error>()?;
                self.handshake_reason(tls)
            }
            _ => return None,
        };
        Some(PostgresTlsError::Handshake {
            server: self.server.clone(),
            mode: if self.require_checks_ca {
                "require with sslrootcert, checked as verify-ca".to_owned()
            } else {
                mode_name(self.mode).to_owned()
            },
            reason,
        })
    }

    /// rustls's own words, except where an operator needs more: which name the certificate
    /// has, and which authorities were trusted.
    fn handshake_reason(&self, error: &rustls::Error) -> String {
        let rustls::Error::InvalidCertificate(problem) = error else {
            return error.to_string();
        };
        match problem {
            CertificateError::NotValidForNameContext {
                expected,
                presented,
            } => format!(
                "the server's certificate is not valid for the host name {}; it is for {}",
                expected.to_str(),
                presented
                    .iter()
                    .map(|name| presented_name(name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CertificateError::NotValidForName => {
                "the server's certificate is not valid for the host name of the URL".to_owned()
            }
            CertificateError::UnknownIssuer => match &self.roots {
                Roots::File(path) => format!(
                    "the server's certificate is not signed by a CA of sslrootcert {} (nor by a \
                     public CA)",
                    path.display()
                ),
                Roots::Inline => "the server's certificate is not signed by a CA of \
                                  PGSSLROOTCERT (nor by a public CA)"
                    .to_owned(),
                Roots::Public | Roots::System => "the server's certificate is not signed by a \
                                                  public CA; set sslrootcert to the file of \
                                                  the CA that signed it"
                    .to_owned(),
            },
            _ => error.to_string(),
        }
    }
}

/// Whether `mode` checks the server's certificate.
fn verifies(mode: PgSslMode) -> bool {
    matches!(mode, PgSslMode::VerifyCa | PgSslMode::VerifyFull)
}

/// libpq's name of `mode`.
fn mode_name(mode: PgSslMode) -> &'static str {
    match mode {
        PgSslMode::Disable => "disable",
        PgSslMode::Allow => "allow",
        PgSslMode::Prefer => "prefer",
        PgSslMode::Require => "require",
        PgSslMode::VerifyCa => "verify-ca",
        PgSslMode::VerifyFull => "verify-full",
    }
}

/// A name of the certificate as webpki reports it (`DnsName("db.example.com")`), without
/// the wrapping; anything else as it comes.
fn presented_name(name: &str) -> &str {
    name.strip_prefix("DnsName(\"")
        .and_then(|rest| rest.strip_suffix("\")"))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests;
