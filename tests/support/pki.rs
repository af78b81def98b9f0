//! Certificates made at test time: a private CA, server certificates for it,
//! client certificates, and keys in each PEM format brokers and users hand around.

use std::path::{Path, PathBuf};
use std::process::Command;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};

/// A certificate and its key, written as PEM files.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The certificate (PEM).
    pub cert: PathBuf,
    /// Its private key (PEM).
    pub key: PathBuf,
}

/// A private CA in a temp dir that signs what the tests need.
pub struct Pki {
    dir: tempfile::TempDir,
    issuer: Issuer<'static, KeyPair>,
    /// The CA certificate (PEM), to trust.
    pub ca: PathBuf,
}

impl Pki {
    /// A new CA named `name`.
    pub fn new(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = KeyPair::generate().expect("CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let cert = params.self_signed(&key).expect("self-signed CA");
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, cert.pem()).expect("write CA");
        Self {
            dir,
            issuer: Issuer::new(params, key),
            ca,
        }
    }

    /// The directory the files are in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A TLS listener serving `server`, asking clients for a certificate of this CA when
    /// `require_client_cert`.
    pub fn tls_listener(&self, server: &Pair, require_client_cert: bool) -> super::Listener {
        super::Listener::Tls {
            ca: self.ca.clone(),
            cert: server.cert.clone(),
            key: server.key.clone(),
            require_client_cert,
        }
    }

    /// A server certificate for `names` (DNS names or IP addresses), valid now.
    pub fn server(&self, file: &str, names: &[&str]) -> Pair {
        self.leaf(file, names, ExtendedKeyUsagePurpose::ServerAuth, None)
    }

    /// A server certificate for `names` that expired on 2024-01-01.
    pub fn expired_server(&self, file: &str, names: &[&str]) -> Pair {
        self.leaf(file, names, ExtendedKeyUsagePurpose::ServerAuth, Some((2024, 1, 1)))
    }

    /// A client certificate with an EC key in PKCS#8 PEM.
    pub fn client(&self, file: &str) -> Pair {
        self.leaf(file, &[], ExtendedKeyUsagePurpose::ClientAuth, None)
    }

    /// A client certificate with an RSA key.
    pub fn rsa_client(&self, file: &str) -> Pair {
        let key = KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048).expect("RSA key");
        self.sign(file, &[], ExtendedKeyUsagePurpose::ClientAuth, None, key)
    }

    fn leaf(
        &self,
        file: &str,
        names: &[&str],
        usage: ExtendedKeyUsagePurpose,
        expired_on: Option<(i32, u8, u8)>,
    ) -> Pair {
        self.sign(file, names, usage, expired_on, KeyPair::generate().expect("key"))
    }

    fn sign(
        &self,
        file: &str,
        names: &[&str],
        usage: ExtendedKeyUsagePurpose,
        expired_on: Option<(i32, u8, u8)>,
        key: KeyPair,
    ) -> Pair {
        let mut params =
            CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).expect("params");
        params.distinguished_name.push(DnType::CommonName, file);
        params.extended_key_usages = vec![usage];
        if let Some((year, month, day)) = expired_on {
            params.not_before = rcgen::date_time_ymd(2023, 1, 1);
            params.not_after = rcgen::date_time_ymd(year, month, day);
        }
        let cert = params.signed_by(&key, &self.issuer).expect("sign");
        let pair = Pair {
            cert: self.dir.path().join(format!("{file}.crt")),
            key: self.dir.path().join(format!("{file}.key")),
        };
        std::fs::write(&pair.cert, cert.pem()).expect("write cert");
        std::fs::write(&pair.key, key.serialize_pem()).expect("write key");
        pair
    }
}

/// Rewrite a PKCS#8 key file in the "traditional" format of its type: PKCS#1 for RSA
/// (`BEGIN RSA PRIVATE KEY`), SEC1 for EC (`BEGIN EC PRIVATE KEY`). Returns the new file.
pub fn traditional_key(key: &Path) -> PathBuf {
    let out = key.with_extension("traditional.key");
    let output = Command::new("openssl")
        .args(["pkey", "-traditional", "-in"])
        .arg(key)
        .arg("-out")
        .arg(&out)
        .output()
        .expect("run openssl (install it with `apt-get install -y openssl`)");
    assert!(
        output.status.success(),
        "openssl pkey failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}
