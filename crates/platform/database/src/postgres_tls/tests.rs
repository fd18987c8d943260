use std::io;
use std::sync::Arc;

use rustls::pki_types::ServerName;

use super::*;
use crate::ConnectError;
use crate::postgres_url::PostgresUrl;

/// The TLS settings of `url`, with no `PG*` variables set.
fn tls(url: &str) -> Result<Option<PostgresTls>, ConnectError> {
    tls_with_env(url, |_| None)
}

fn tls_with_env(
    url: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<PostgresTls>, ConnectError> {
    PostgresUrl::read_with_env(url, env).map(|url| url.map(|url| url.tls))
}

fn mode_of(url: &str) -> &'static str {
    mode_name(tls(url).unwrap().unwrap().mode)
}

#[test]
fn each_mode_is_what_the_url_says_and_prefer_without_one() {
    let base = "postgres://app@db.example.com/app";
    assert_eq!(mode_of(base), "prefer");
    for mode in [
        "disable",
        "allow",
        "prefer",
        "require",
        "verify-ca",
        "verify-full",
    ] {
        assert_eq!(mode_of(&format!("{base}?sslmode={mode}")), mode);
    }
    assert_eq!(
        mode_of("postgresql://db/app?ssl-mode=VERIFY-FULL"),
        "verify-full",
        "sqlx's spelling, in any case"
    );
}

#[test]
fn require_with_a_ca_file_checks_the_ca_as_libpq_does() {
    assert_eq!(
        mode_of("postgres://db/app?sslmode=require&sslrootcert=/etc/ca.pem"),
        "verify-ca"
    );
    assert_eq!(mode_of("postgres://db/app?sslmode=require"), "require");
}

#[test]
fn sslrootcert_system_is_the_public_roots_and_asks_for_verify_full() {
    let system = tls("postgres://db/app?sslrootcert=system")
        .unwrap()
        .unwrap();
    assert_eq!(mode_name(system.mode), "verify-full");
    assert_eq!(system.roots, Roots::System);
    assert_eq!(
        mode_of("postgres://db/app?sslmode=verify-full&sslrootcert=system"),
        "verify-full"
    );

    let weaker = tls("postgres://db/app?sslmode=require&sslrootcert=system").unwrap_err();

    assert_eq!(
        weaker.to_string(),
        "sslrootcert=system is for sslmode=verify-full (or no sslmode), not sslmode=require"
    );
}

#[test]
fn an_unknown_mode_is_named() {
    let error = tls("postgres://db/app?sslmode=verify_full").unwrap_err();

    assert_eq!(
        error.to_string(),
        "sslmode=\"verify_full\" is not one of disable, allow, prefer, require, verify-ca, \
         verify-full"
    );
}

#[test]
fn the_variables_count_when_the_url_says_nothing() {
    let env = |name: &str| match name {
        "PGSSLMODE" => Some("require".to_owned()),
        "PGSSLROOTCERT" => Some("/etc/ca.pem".to_owned()),
        _ => None,
    };
    let from_env = tls_with_env("postgres://db/app", env).unwrap().unwrap();
    assert_eq!(mode_name(from_env.mode), "verify-ca");
    assert_eq!(from_env.roots, Roots::File("/etc/ca.pem".into()));

    let url_first = tls_with_env("postgres://db/app?sslmode=disable", env)
        .unwrap()
        .unwrap();
    assert_eq!(mode_name(url_first.mode), "disable");
}

#[test]
fn other_databases_are_left_alone() {
    assert!(tls("sqlite://data/app.db?sslmode=bogus").unwrap().is_none());
    assert!(tls("sqlite::memory:").unwrap().is_none());
}

#[test]
fn the_ca_file_is_checked_before_connecting_when_a_mode_verifies() {
    let folder = tempfile::tempdir().unwrap();
    let missing = folder.path().join("missing.pem");
    let der = folder.path().join("ca.der");
    std::fs::write(&der, [0x30, 0x82, 0x01, 0x0a]).unwrap();
    let url = |mode: &str, file: &std::path::Path| {
        format!(
            "postgres://db/app?sslmode={mode}&sslrootcert={}",
            file.display()
        )
    };

    let unreadable = tls(&url("verify-full", &missing))
        .unwrap()
        .unwrap()
        .check_root_cert()
        .unwrap_err();
    assert!(
        matches!(&unreadable, PostgresTlsError::UnreadableFile { path, .. } if *path == missing),
        "{unreadable}"
    );
    let not_pem = tls(&url("verify-ca", &der))
        .unwrap()
        .unwrap()
        .check_root_cert()
        .unwrap_err();
    assert!(
        not_pem
            .to_string()
            .contains("holds no certificate in PEM form"),
        "{not_pem}"
    );
    // `prefer` never reads the file: nothing to check.
    tls(&url("prefer", &missing))
        .unwrap()
        .unwrap()
        .check_root_cert()
        .unwrap();
}

/// A connection that failed in rustls' handshake, as sea-orm hands it over.
fn handshake_failure(error: rustls::Error) -> DbErr {
    let io = io::Error::new(io::ErrorKind::InvalidData, error);
    DbErr::Conn(RuntimeErr::SqlxError(Arc::new(sqlx::Error::Io(io))))
}

#[test]
fn a_certificate_for_another_name_says_both_names() {
    let tls = tls("postgres://127.0.0.1:6543/app?sslmode=verify-full&sslrootcert=/ca.pem")
        .unwrap()
        .unwrap();
    let error = handshake_failure(rustls::Error::InvalidCertificate(
        CertificateError::NotValidForNameContext {
            expected: ServerName::try_from("127.0.0.1").unwrap(),
            presented: vec!["DnsName(\"localhost\")".into(), "IpAddress(..)".into()],
        },
    ));

    let failure = tls.failure(&error).unwrap();

    assert_eq!(
        failure.to_string(),
        "TLS to PostgreSQL at 127.0.0.1:6543 failed (sslmode=verify-full): the server's \
         certificate is not valid for the host name 127.0.0.1; it is for localhost, \
         IpAddress(..)"
    );
}

#[test]
fn an_unknown_ca_says_which_were_trusted() {
    let unknown = || {
        handshake_failure(rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer,
        ))
    };
    let with_file = tls("postgres://db/app?sslmode=verify-ca&sslrootcert=/etc/ca.pem")
        .unwrap()
        .unwrap();
    let without = tls("postgres://db/app?sslmode=verify-full")
        .unwrap()
        .unwrap();

    assert_eq!(
        with_file.failure(&unknown()).unwrap().to_string(),
        "TLS to PostgreSQL at db:5432 failed (sslmode=verify-ca): the server's certificate is \
         not signed by a CA of sslrootcert /etc/ca.pem (nor by a public CA)"
    );
    assert!(
        without
            .failure(&unknown())
            .unwrap()
            .to_string()
            .ends_with("set sslrootcert to the file of the CA that signed it")
    );
}

#[test]
fn a_server_without_tls_and_other_failures_are_told_apart() {
    let tls = tls("postgres://db/app?sslmode=require").unwrap().unwrap();
    let refused = DbErr::Conn(RuntimeErr::SqlxError(Arc::new(sqlx::Error::Tls(
        "server does not support TLS".into(),
    ))));
    let unreachable = DbErr::Conn(RuntimeErr::SqlxError(Arc::new(sqlx::Error::Io(
        io::Error::from(io::ErrorKind::ConnectionRefused),
    ))));

    assert_eq!(
        tls.failure(&refused).unwrap().to_string(),
        "TLS to PostgreSQL at db:5432 failed (sslmode=require): server does not support TLS"
    );
    assert!(tls.failure(&unreachable).is_none(), "not a TLS failure");
}

#[test]
fn a_failure_under_require_with_a_ca_file_says_the_ca_was_checked() {
    let tls = tls("postgres://db/app?sslmode=require&sslrootcert=/etc/ca.pem")
        .unwrap()
        .unwrap();
    let error = handshake_failure(rustls::Error::InvalidCertificate(
        CertificateError::UnknownIssuer,
    ));

    assert!(tls.failure(&error).unwrap().to_string().starts_with(
        "TLS to PostgreSQL at db:5432 failed (sslmode=require with sslrootcert, \
                 checked as verify-ca): "
    ));
}

#[tokio::test]
async fn the_readers_say_a_failed_handshake_as_sqlx_s_pool_says_it() {
    let port = crate::testing::server_without_tls().await;
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres?sslmode=require");
    let expected = format!(
        "TLS to PostgreSQL at 127.0.0.1:{port} failed (sslmode=require): server does not \
         support TLS"
    );

    // The readers open first: their words.
    let readers = crate::Database::connect(&url, &crate::DatabaseOptions::default())
        .await
        .unwrap_err();
    let pool = crate::connect_pool(&url, &crate::DatabaseOptions::default())
        .await
        .unwrap_err();

    for error in [readers, pool] {
        assert!(matches!(error, ConnectError::Tls(_)), "{error:?}");
        assert_eq!(shared_kernel_application::error_chain(&error), expected);
    }
}

#[test]
fn the_readers_tls_is_set_up_only_for_a_mode_that_asks_for_it() {
    for (mode, set_up) in [
        ("disable", false),
        ("allow", false),
        ("prefer", true),
        ("require", true),
        ("verify-ca", true),
        ("verify-full", true),
    ] {
        let tls = tls(&format!("postgres://db/app?sslmode={mode}"))
            .unwrap()
            .unwrap();
        assert_eq!(tls.connector().unwrap().is_some(), set_up, "{mode}");
    }
}

#[test]
fn a_client_certificate_and_its_key_go_together_and_must_be_pem() {
    let folder = tempfile::tempdir().unwrap();
    let client = rcgen::generate_simple_self_signed(vec!["ada".to_owned()]).unwrap();
    let (certificate, key, ca) = (
        folder.path().join("client.crt"),
        folder.path().join("client.key"),
        folder.path().join("ca.pem"),
    );
    std::fs::write(&certificate, client.cert.pem()).unwrap();
    std::fs::write(&key, client.signing_key.serialize_pem()).unwrap();
    std::fs::write(&ca, client.cert.pem()).unwrap();
    let url = |query: &str| {
        format!(
            "postgres://db/app?sslmode=verify-full&sslrootcert={}&{query}",
            ca.display()
        )
    };
    let connector = |query: &str| tls(&url(query)).unwrap().unwrap().connector();

    let both = connector(&format!(
        "sslcert={}&sslkey={}",
        certificate.display(),
        key.display()
    ));
    let alone = connector(&format!("sslcert={}", certificate.display())).unwrap_err();
    let not_a_key = connector(&format!(
        "sslcert={}&sslkey={}",
        certificate.display(),
        certificate.display()
    ))
    .unwrap_err();

    assert!(both.unwrap().is_some());
    assert_eq!(
        alone.to_string(),
        "sslcert and sslkey go together: the URL gives sslcert alone"
    );
    assert!(
        not_a_key
            .to_string()
            .starts_with("sslkey holds no certificate or key that can be used: "),
        "{not_a_key}"
    );
}
