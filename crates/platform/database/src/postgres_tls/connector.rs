//! The readers' TLS: rustls set up for tokio-postgres as sqlx sets it up for its own
//! connections (sqlx-core's `tls_rustls::handshake`), from the same rules, so that both drivers
//! accept and refuse the same servers.
//!
//! - `prefer` and `require` encrypt and check nothing of the certificate but its signature
//!   (`AnyCertificate`), as libpq.
//! - `verify-ca` checks the chain against the roots, not the host name (`AnyHostName`).
//! - `verify-full` checks both.
//! - The roots are the public ones built in (webpki-roots, as sqlx's), and `sslrootcert`'s as
//!   well: sqlx adds the file's to them.
//!
//! As sqlx does, each new connection reads the files again, so that a replaced CA bundle or
//! client certificate takes effect without a restart.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore};
use sea_orm::sqlx::postgres::PgSslMode;
use tokio_postgres::Socket;
use tokio_postgres::config::SslMode;
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::verifiers::{AnyCertificate, AnyHostName};
use super::{Pem, PostgresTls, PostgresTlsError, Roots, read_file, verifies};

impl PostgresTls {
    /// tokio-postgres's mode for this one. It knows `disable`, `prefer` and `require`; what
    /// `verify-ca` and `verify-full` check is in the rustls configuration (`connector`).
    /// `allow` is `disable`, as in sqlx.
    pub(crate) fn driver_mode(&self) -> SslMode {
        match self.mode {
            PgSslMode::Disable | PgSslMode::Allow => SslMode::Disable,
            PgSslMode::Prefer => SslMode::Prefer,
            PgSslMode::Require | PgSslMode::VerifyCa | PgSslMode::VerifyFull => SslMode::Require,
        }
    }

    /// What the readers' connections do TLS with; `None` when the mode never asks for it. It
    /// is set up once here, so that a file that cannot be used stops start-up, said as such.
    pub(crate) fn connector(&self) -> Result<Option<ReadersTls>, PostgresTlsError> {
        if self.driver_mode() == SslMode::Disable {
            return Ok(None);
        }
        self.client_config()?;
        Ok(Some(ReadersTls(self.clone())))
    }

    /// rustls's configuration for a connection, from the files as they are now.
    fn client_config(&self) -> Result<ClientConfig, PostgresTlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(setup_failure)?;
        let builder = match self.mode {
            PgSslMode::VerifyFull => builder.with_root_certificates(self.root_store()?),
            PgSslMode::VerifyCa => {
                let verifier = WebPkiServerVerifier::builder_with_provider(
                    self.root_store()?.into(),
                    provider,
                )
                .build()
                .map_err(setup_failure)?;
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(AnyHostName::new(verifier)))
            }
            _ => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate::new(provider))),
        };
        Ok(match self.client_identity()? {
            Some((certificates, key)) => builder
                .with_client_auth_cert(certificates, key)
                .map_err(setup_failure)?,
            None => builder.with_no_client_auth(),
        })
    }

    /// The public roots, and `sslrootcert`'s certificates when a verifying mode reads them.
    fn root_store(&self) -> Result<RootCertStore, PostgresTlsError> {
        let mut roots = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let extra = match &self.roots {
            Roots::File(path) if verifies(self.mode) => Pem::File(path.clone()),
            Roots::Inline(pem) if verifies(self.mode) => Pem::Inline(pem.clone()),
            _ => return Ok(roots),
        };
        for certificate in certificates("sslrootcert", &extra)? {
            roots
                .add(certificate)
                .map_err(|error| unusable("sslrootcert", error))?;
        }
        Ok(roots)
    }

    /// `sslcert` and `sslkey`, which sqlx takes only together.
    fn client_identity(
        &self,
    ) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>, PostgresTlsError>
    {
        match (&self.client_certificate, &self.client_key) {
            (None, None) => Ok(None),
            (Some(_), None) => Err(PostgresTlsError::HalfClientIdentity { given: "sslcert" }),
            (None, Some(_)) => Err(PostgresTlsError::HalfClientIdentity { given: "sslkey" }),
            (Some(certificate), Some(key)) => {
                let key = PrivateKeyDer::from_pem_slice(&contents("sslkey", key)?)
                    .map_err(|error| unusable("sslkey", error))?;
                Ok(Some((certificates("sslcert", certificate)?, key)))
            }
        }
    }
}

/// The readers' TLS: rustls set up anew for each connection (the module's header).
#[derive(Debug, Clone)]
pub(crate) struct ReadersTls(PostgresTls);

impl MakeTlsConnect<Socket> for ReadersTls {
    type Stream = <MakeRustlsConnect as MakeTlsConnect<Socket>>::Stream;
    type TlsConnect = <MakeRustlsConnect as MakeTlsConnect<Socket>>::TlsConnect;
    type Error = PostgresTlsError;

    fn make_tls_connect(&mut self, host: &str) -> Result<Self::TlsConnect, Self::Error> {
        let mut rustls = MakeRustlsConnect::new(self.0.client_config()?);
        match MakeTlsConnect::<Socket>::make_tls_connect(&mut rustls, host) {
            Ok(connect) => Ok(connect),
            Err(never) => match never {},
        }
    }
}

/// The certificates of `pem`, the value of `parameter`.
fn certificates(
    parameter: &'static str,
    pem: &Pem,
) -> Result<Vec<CertificateDer<'static>>, PostgresTlsError> {
    let certificates = CertificateDer::pem_slice_iter(&contents(parameter, pem)?)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| unusable(parameter, error))?;
    if certificates.is_empty() {
        return Err(unusable(parameter, "no certificate in PEM form"));
    }
    Ok(certificates)
}

fn contents(parameter: &'static str, pem: &Pem) -> Result<Vec<u8>, PostgresTlsError> {
    match pem {
        Pem::File(path) => read_file(parameter, path),
        Pem::Inline(pem) => Ok(pem.as_bytes().to_vec()),
    }
}

fn unusable(parameter: &'static str, reason: impl ToString) -> PostgresTlsError {
    PostgresTlsError::UnusablePem {
        parameter,
        reason: reason.to_string(),
    }
}

fn setup_failure(error: impl ToString) -> PostgresTlsError {
    PostgresTlsError::Setup {
        reason: error.to_string(),
    }
}
