//! The certificates of a TLS test, made afresh each run: a CA, a server certificate it signs
//! for `localhost` (and nothing else: no 127.0.0.1), and a second CA that signed nothing.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

/// PEM, as PostgreSQL reads the server's and `sslrootcert` the CA's.
pub struct Certificates {
    pub ca: String,
    pub other_ca: String,
    pub server_certificate: String,
    pub server_key: String,
}

impl Certificates {
    pub fn generate() -> Self {
        let ca = authority("TLS test CA");
        let other_ca = authority("Some other CA");

        let mut server = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        server
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server.use_authority_key_identifier_extension = true;
        let server_key = KeyPair::generate().unwrap();
        let server_certificate = server.signed_by(&server_key, &ca).unwrap();

        Self {
            ca: ca.pem(),
            other_ca: other_ca.pem(),
            server_certificate: server_certificate.pem(),
            server_key: server_key.serialize_pem(),
        }
    }
}

fn authority(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::default();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}
