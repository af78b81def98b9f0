//! TLS for `mqtts://` and `wss://`: which servers to trust (the operating system's trust
//! store, a CA file, or nothing at all when asked), the client's own certificate, ALPN, a
//! server-name override, and handshake failures explained in words.

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::settings::TlsOptions;

/// Why TLS could not be set up before connecting: a file that is missing or holds the wrong thing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(String);

impl SetupError {
    /// A setup error in these words.
    pub(crate) fn new(words: String) -> Self {
        Self(words)
    }
}

/// The rustls configuration for `options`. Reads the files it names.
pub fn client_config(options: &TlsOptions) -> Result<Arc<ClientConfig>, SetupError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| SetupError(format!("TLS cannot start: {e}")))?;

    let mut verifier: Arc<dyn ServerCertVerifier> = if options.insecure {
        Arc::new(AcceptAnyServer {
            provider: provider.clone(),
        })
    } else if let Some(ca_file) = &options.ca_file {
        let mut roots = RootCertStore::empty();
        for cert in read_certificates(ca_file, "CA file")? {
            roots
                .add(cert)
                .map_err(|e| SetupError(format!("CA file {}: {}", ca_file.display(), explain(&e))))?;
        }
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| SetupError(format!("CA file {}: {e}", ca_file.display())))?
    } else {
        Arc::new(
            rustls_platform_verifier::Verifier::new(provider.clone())
                .map_err(|e| SetupError(format!("The system's trusted certificates could not be read: {e}")))?,
        )
    };
    if let Some(name) = options.server_name_override() {
        let name = ServerName::try_from(name.to_owned()).map_err(|_| {
            SetupError(format!(
                "\"{name}\" is not a server name (a host name or an IP address)"
            ))
        })?;
        verifier = Arc::new(CheckNameInstead { inner: verifier, name });
    }
    let builder = builder.dangerous().with_custom_certificate_verifier(verifier);

    let mut config = match (&options.client_cert_file, &options.client_key_file) {
        (None, None) => builder.with_no_client_auth(),
        (None, Some(key)) => {
            return Err(SetupError(format!(
                "A client key ({}) needs its client certificate: choose the certificate file too",
                key.display()
            )));
        }
        (Some(cert_file), key_file) => {
            let chain = read_certificates(cert_file, "Client certificate")?;
            // A key may sit in the certificate's own file.
            let key_file = key_file.as_deref().unwrap_or(cert_file);
            let key = read_private_key(key_file)?;
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                SetupError(format!(
                    "The client certificate {} and key {} cannot be used together: {}",
                    cert_file.display(),
                    key_file.display(),
                    explain(&e)
                ))
            })?
        }
    };
    config.alpn_protocols = options
        .alpn
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| p.as_bytes().to_vec())
        .collect();
    // With SSLKEYLOGFILE set, the session keys are appended to that file (NSS key log format), so
    // a capture of the connection can be decrypted in Wireshark; unset, nothing is written.
    config.key_log = Arc::new(rustls::KeyLogFile::new());
    Ok(Arc::new(config))
}

fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, SetupError> {
    std::fs::read(path).map_err(|e| SetupError(format!("{what} {} cannot be read: {e}", path.display())))
}

/// Every certificate in a PEM file (or one DER certificate).
fn read_certificates(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>, SetupError> {
    let bytes = read_file(path, what)?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| SetupError(format!("{what} {} is not valid PEM: {e}", path.display())))?;
    if !certs.is_empty() {
        return Ok(certs);
    }
    if bytes.first() == Some(&0x30) {
        // DER: an ASN.1 SEQUENCE.
        return Ok(vec![CertificateDer::from(bytes)]);
    }
    Err(SetupError(format!(
        "{what} {} holds no certificate (expected \"-----BEGIN CERTIFICATE-----\")",
        path.display()
    )))
}

/// The first private key in a PEM file: PKCS#8, PKCS#1 (RSA) or SEC1 (EC).
fn read_private_key(path: &Path) -> Result<PrivateKeyDer<'static>, SetupError> {
    let bytes = read_file(path, "Client key")?;
    match PrivateKeyDer::from_pem_slice(&bytes) {
        Ok(key) => Ok(key),
        Err(rustls::pki_types::pem::Error::NoItemsFound) => {
            let encrypted = String::from_utf8_lossy(&bytes).contains("ENCRYPTED");
            Err(SetupError(if encrypted {
                format!(
                    "Client key {} is encrypted with a passphrase: decrypt it first (openssl pkey -in KEY -out PLAIN)",
                    path.display()
                )
            } else {
                format!(
                    "Client key {} holds no private key (expected PEM: PKCS#8, PKCS#1 or SEC1)",
                    path.display()
                )
            }))
        }
        Err(e) => Err(SetupError(format!(
            "Client key {} is not valid PEM: {e}",
            path.display()
        ))),
    }
}

/// Checks the server's certificate against a chosen name instead of the host connected to
/// (for a broker reached by IP address or through a tunnel).
#[derive(Debug)]
struct CheckNameInstead {
    inner: Arc<dyn ServerCertVerifier>,
    name: ServerName<'static>,
}

impl ServerCertVerifier for CheckNameInstead {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner
            .verify_server_cert(end_entity, intermediates, &self.name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Accepts any server certificate, still checking that the server holds its key.
#[derive(Debug)]
struct AcceptAnyServer {
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for AcceptAnyServer {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// The rustls error somewhere inside `error`, if the failure was a TLS one.
pub fn find_rustls_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(err) = current {
        if let Some(found) = err.downcast_ref::<rustls::Error>() {
            return Some(found);
        }
        // io::Error hides a wrapped error from `source()`; look inside it directly.
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
        {
            if let Some(found) = inner.downcast_ref::<rustls::Error>() {
                return Some(found);
            }
            current = inner.source();
            continue;
        }
        current = err.source();
    }
    None
}

/// A TLS failure in words: which certificate, and why.
pub fn explain(error: &rustls::Error) -> String {
    use rustls::AlertDescription as Alert;
    match error {
        rustls::Error::InvalidCertificate(cert) => {
            format!("the broker's certificate was rejected: {}", explain_certificate(cert))
        }
        rustls::Error::NoCertificatesPresented => "the broker presented no certificate".to_owned(),
        rustls::Error::AlertReceived(alert) => match alert {
            Alert::CertificateRequired => {
                "the broker requires a client certificate: choose one in the TLS settings".to_owned()
            }
            Alert::UnknownCA => {
                "the broker does not trust the client certificate (it was not issued by a CA the broker accepts)"
                    .to_owned()
            }
            Alert::BadCertificate | Alert::UnsupportedCertificate | Alert::CertificateUnknown => {
                format!("the broker rejected the client certificate ({alert:?})")
            }
            Alert::CertificateExpired => "the broker rejected the client certificate: it has expired".to_owned(),
            Alert::CertificateRevoked => "the broker rejected the client certificate: it was revoked".to_owned(),
            Alert::NoApplicationProtocol => {
                "the broker accepts none of the ALPN protocols offered: check the ALPN setting".to_owned()
            }
            Alert::HandshakeFailure | Alert::ProtocolVersion | Alert::InsufficientSecurity => format!(
                "the broker and this client share no TLS version or cipher ({alert:?}); the broker may also want a client certificate"
            ),
            other => format!("the broker ended the TLS handshake ({other:?})"),
        },
        rustls::Error::InconsistentKeys(_) => "the key does not belong to the certificate".to_owned(),
        rustls::Error::PeerIncompatible(why) => format!("the broker's TLS is incompatible ({why:?})"),
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            "the broker did not answer with TLS: is this port a TLS listener?".to_owned()
        }
        other => other.to_string(),
    }
}

fn explain_certificate(error: &CertificateError) -> String {
    match error {
        CertificateError::UnknownIssuer => "it is not signed by a CA this computer trusts. \
             Choose the broker's CA file in the TLS settings (or add the CA to the system's trust store)"
            .to_owned(),
        CertificateError::Expired => "it has expired".to_owned(),
        CertificateError::ExpiredContext { time, not_after } => format!(
            "it expired on {} (now {})",
            format_unix(not_after.as_secs()),
            format_unix(time.as_secs())
        ),
        CertificateError::NotValidYet => "it is not valid yet (is this computer's clock right?)".to_owned(),
        CertificateError::NotValidYetContext { time, not_before } => format!(
            "it is valid only from {} (now {}; is this computer's clock right?)",
            format_unix(not_before.as_secs()),
            format_unix(time.as_secs())
        ),
        CertificateError::NotValidForName => {
            "it is issued for another name than the host connected to (set the server name to check)".to_owned()
        }
        CertificateError::NotValidForNameContext { expected, presented } => format!(
            "it is issued for {} but the connection expected \"{}\" (set the server name to check, or connect by that name)",
            if presented.is_empty() {
                "no name".to_owned()
            } else {
                presented
                    .iter()
                    .map(|n| format!("\"{}\"", presented_name(n)))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            expected.to_str()
        ),
        CertificateError::Revoked => "it was revoked".to_owned(),
        CertificateError::BadSignature => "its signature is invalid".to_owned(),
        CertificateError::BadEncoding => "it is not a valid certificate".to_owned(),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "it is not meant for a TLS server".to_owned()
        }
        other => format!("{other:?}"),
    }
}

/// A name from a certificate as rustls reports it (`DnsName("x")`, `IpAddress(1.2.3.4)`), plainly.
fn presented_name(name: &str) -> &str {
    let inner = ["DnsName(", "IpAddress(", "Uri("]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix)?.strip_suffix(')'));
    inner.map_or(name, |inner| inner.trim_matches('"'))
}

fn format_unix(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map_or_else(|| format!("{secs} s"), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

#[cfg(test)]
mod tests;
