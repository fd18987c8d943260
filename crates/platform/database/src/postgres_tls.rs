//! TLS to PostgreSQL (docs/operations.md, "TLS to PostgreSQL"; ADR 0021), for both drivers:
//! sqlx's pool and the readers' tokio-postgres connections (`connector`, which sets up rustls
//! as sqlx does for itself).
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

mod connector;
mod verifiers;

use std::path::PathBuf;

use rustls::CertificateError;
use sea_orm::sqlx;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgSslMode};
use sea_orm::{DbErr, RuntimeErr};

/// What a PostgreSQL URL asks of TLS, as the drivers will be told to do it.
#[derive(Debug, Clone)]
pub(crate) struct PostgresTls {
    mode: PgSslMode,
    /// `sslmode=require` checked as `verify-ca`, because of a CA file.
    require_checks_ca: bool,
    roots: Roots,
    /// `sslcert` and `sslkey`: the certificate the client proves itself with, and its key.
    client_certificate: Option<Pem>,
    client_key: Option<Pem>,
    /// `host:port`, for messages.
    server: String,
}

/// The TLS parameters of a URL as given (`postgres_url` reads them, and the variables behind
/// them), before this module's rules.
#[derive(Debug, Default)]
pub(crate) struct TlsParameters {
    pub(crate) mode: Option<String>,
    pub(crate) root_cert: Option<String>,
    pub(crate) client_cert: Option<String>,
    pub(crate) client_key: Option<String>,
}

/// Certificates or a key in PEM form, where sqlx looks for them: in the value itself when it
/// is PEM (`-----BEGIN …-----`), otherwise in the file it names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pem {
    File(PathBuf),
    Inline(String),
}

impl From<String> for Pem {
    fn from(value: String) -> Self {
        let trimmed = value.trim();
        match trimmed.starts_with("-----BEGIN") && trimmed.ends_with("-----") {
            true => Self::Inline(value),
            false => Self::File(PathBuf::from(value)),
        }
    }
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
    Inline(String),
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
    #[error("could not read {parameter} {}", path.display())]
    UnreadableFile {
        parameter: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "sslrootcert {} holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)",
        path.display()
    )]
    NoCertificate { path: PathBuf },
    #[error("{parameter} holds no certificate or key that can be used: {reason}")]
    UnusablePem {
        parameter: &'static str,
        reason: String,
    },
    #[error("sslcert and sslkey go together: the URL gives {given} alone")]
    HalfClientIdentity { given: &'static str },
    #[error("TLS to PostgreSQL cannot be set up: {reason}")]
    Setup { reason: String },
    #[error("TLS to PostgreSQL at {server} failed (sslmode={mode}): {reason}")]
    Handshake {
        server: String,
        /// The mode, as the URL says it and as it was enforced.
        mode: String,
        reason: String,
    },
}

impl PostgresTls {
    /// This module's rules applied to `parameters`, for the server at `server` (`host:port`).
    pub(crate) fn new(parameters: TlsParameters, server: String) -> Result<Self, PostgresTlsError> {
        let TlsParameters {
            mode,
            root_cert,
            client_cert,
            client_key,
        } = parameters;
        let roots = match root_cert.map(Pem::from) {
            None => Roots::Public,
            Some(Pem::File(path)) if path.as_os_str() == "system" => Roots::System,
            Some(Pem::File(path)) => Roots::File(path),
            Some(Pem::Inline(pem)) => Roots::Inline(pem),
        };
        let requested = match mode {
            None => None,
            Some(value) => Some(
                value
                    .parse::<PgSslMode>()
                    .map_err(|_| PostgresTlsError::UnknownMode { value })?,
            ),
        };
        let require_checks_ca = matches!(requested, Some(PgSslMode::Require))
            && matches!(roots, Roots::File(_) | Roots::Inline(_));
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
        Ok(Self {
            mode,
            require_checks_ca,
            roots,
            client_certificate: client_cert.map(Pem::from),
            client_key: client_key.map(Pem::from),
            server,
        })
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
        let contents = read_file("sslrootcert", path)?;
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

    /// What went wrong with TLS, if a failed connection of sqlx's pool failed there.
    pub(crate) fn failure(&self, error: &DbErr) -> Option<PostgresTlsError> {
        let DbErr::Conn(RuntimeErr::SqlxError(error)) = error else {
            return None;
        };
        let reason = match &**error {
            // The server said no to TLS, or the driver could not set it up (a bad file).
            sqlx::Error::Tls(reason) => reason.to_string(),
            // rustls fails the handshake through the socket, as an I/O error that carries it.
            sqlx::Error::Io(io) => self.handshake_reason(io.get_ref()?.downcast_ref()?),
            _ => return None,
        };
        Some(self.handshake_failure(reason))
    }

    /// The same for a failed connection of the readers' or writers' pools (tokio-postgres), in
    /// the same words.
    pub(crate) fn tokio_postgres_failure(
        &self,
        error: &tokio_postgres::Error,
    ) -> Option<PostgresTlsError> {
        // tokio-postgres does not say what kind an error is but in its words: every failure of
        // TLS is this one, with what went wrong beneath.
        if error.to_string() != "error performing TLS handshake" {
            return None;
        }
        let cause = std::error::Error::source(error)?;
        // rustls's error, carried by the I/O error of the handshake as with sqlx; otherwise
        // tokio-postgres's own words ("server does not support TLS", as sqlx says it).
        let rustls = cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref()?.downcast_ref::<rustls::Error>());
        let reason = match rustls {
            Some(rustls) => self.handshake_reason(rustls),
            None => cause.to_string(),
        };
        Some(self.handshake_failure(reason))
    }

    fn handshake_failure(&self, reason: String) -> PostgresTlsError {
        PostgresTlsError::Handshake {
            server: self.server.clone(),
            mode: if self.require_checks_ca {
                "require with sslrootcert, checked as verify-ca".to_owned()
            } else {
                mode_name(self.mode).to_owned()
            },
            reason,
        }
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
                Roots::Inline(_) => "the server's certificate is not signed by a CA of \
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

/// The contents of the file `parameter` names.
fn read_file(parameter: &'static str, path: &std::path::Path) -> Result<Vec<u8>, PostgresTlsError> {
    std::fs::read(path).map_err(|source| PostgresTlsError::UnreadableFile {
        parameter,
        path: path.to_path_buf(),
        source,
    })
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
