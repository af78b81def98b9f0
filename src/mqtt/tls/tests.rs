//! Certificate failures in words and the TLS configurations built, without a broker.

use super::*;
use std::path::PathBuf;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn the_system_trust_store_is_the_default() {
    assert!(client_config(&TlsOptions::default()).is_ok());
}

#[test]
fn bad_files_are_named_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = TlsOptions {
        ca_file: Some(dir.path().join("nope.pem")),
        ..TlsOptions::default()
    };
    let err = client_config(&missing).expect_err("missing CA").to_string();
    assert!(err.contains("nope.pem") && err.contains("cannot be read"), "{err}");

    let junk = TlsOptions {
        ca_file: Some(write(&dir, "junk.pem", "hello\n")),
        ..TlsOptions::default()
    };
    let err = client_config(&junk).expect_err("no certificate").to_string();
    assert!(err.contains("holds no certificate"), "{err}");

    let key_only = TlsOptions {
        client_key_file: Some(write(&dir, "k.pem", "x")),
        ..TlsOptions::default()
    };
    let err = client_config(&key_only).expect_err("key without cert").to_string();
    assert!(err.contains("needs its client certificate"), "{err}");

    let bad_name = TlsOptions {
        server_name: Some("not a name!".into()),
        ..TlsOptions::default()
    };
    assert!(client_config(&bad_name).is_err());
}

#[test]
fn certificate_failures_say_why() {
    let unknown = explain(&rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer));
    assert!(unknown.contains("not signed by a CA this computer trusts"), "{unknown}");
    let name = explain(&rustls::Error::InvalidCertificate(
        CertificateError::NotValidForNameContext {
            expected: ServerName::try_from("broker.lan").expect("name"),
            presented: vec!["DnsName(\"other.lan\")".into(), "IpAddress(10.0.0.1)".into()],
        },
    ));
    assert!(
        name.contains("issued for \"other.lan\", \"10.0.0.1\" but the connection expected \"broker.lan\""),
        "{name}"
    );
    let expired = explain(&rustls::Error::InvalidCertificate(CertificateError::ExpiredContext {
        time: UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_800_000_000)),
        not_after: UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_700_000_000)),
    }));
    assert!(expired.contains("expired on 2023-11-14"), "{expired}");
}

#[test]
fn a_rustls_error_is_found_inside_io_errors() {
    let io = std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
    );
    let found = find_rustls_error(&io).expect("found");
    assert!(matches!(found, rustls::Error::InvalidCertificate(_)));
}
