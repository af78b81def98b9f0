//! Every way to reach a broker, each against a real Mosquitto configured for it: TLS with a
//! private CA made at test time, mutual TLS, WebSockets with and without TLS, a password file
//! and an ACL. Failures must say which certificate and why.

mod support;

use std::time::Duration;

use mqscope::model::ConnectionState;
use mqscope::mqtt::{BrokerAddress, ConnectionSettings, TlsOptions};
use support::pki::{Pki, traditional_key};
use support::{Broker, BrokerConfig, Listener, Watch};

const WAIT: Duration = Duration::from_secs(10);

fn settings(url: &str, tls: TlsOptions) -> ConnectionSettings {
    let mut settings = ConnectionSettings::new(BrokerAddress::parse(url).expect("valid address"));
    settings.tls = tls;
    settings
}

fn trusting(ca: &std::path::Path) -> TlsOptions {
    TlsOptions {
        ca_file: Some(ca.to_owned()),
        ..TlsOptions::default()
    }
}

/// Connect, wait for the connection, and see a message published on the plain listener arrive.
fn connects_and_receives(broker: &Broker, settings: ConnectionSettings) {
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    watch.until("the subscription", WAIT, |s| !s.subscriptions().is_empty());
    broker.mosquitto_pub("transport/check", b"over the wire", false);
    watch.until("the message", WAIT, |s| s.tree.find("transport/check").is_some());
    watch.disconnect();
}

/// Connect and wait for a failure whose reason contains every one of `words`; returns the reason.
fn fails_with(settings: ConnectionSettings, words: &[&str]) -> String {
    let mut watch = Watch::connect(settings);
    watch.until("a failure", WAIT, |s| {
        matches!(
            s.state(),
            ConnectionState::Failed { .. } | ConnectionState::Reconnecting { .. }
        )
    });
    let reason = match watch.session.state() {
        ConnectionState::Failed { reason } | ConnectionState::Reconnecting { reason, .. } => reason.clone(),
        other => panic!("expected a failure, got {other:?}"),
    };
    for word in words {
        assert!(reason.contains(word), "the reason should mention {word:?}: {reason}");
    }
    reason
}

#[test]
fn mqtts_with_a_private_ca_connects_and_checks_the_certificate() {
    let pki = Pki::new("mqscope test CA");
    let good = pki.server("server", &["localhost", "127.0.0.1"]);
    let other_name = pki.server("other", &["broker.test"]);
    let expired = pki.expired_server("expired", &["localhost", "127.0.0.1"]);
    let tls = |pair| pki.tls_listener(pair, false);
    let broker = Broker::start_with(BrokerConfig {
        listeners: vec![tls(&good), tls(&other_name), tls(&expired)],
        ..BrokerConfig::default()
    });
    let [good_port, other_port, expired_port] = broker.ports() else {
        panic!("three listeners")
    };

    // Trusting the CA file: connects, by IP address and by name.
    connects_and_receives(
        &broker,
        settings(&format!("mqtts://127.0.0.1:{good_port}"), trusting(&pki.ca)),
    );
    connects_and_receives(
        &broker,
        settings(&format!("mqtts://localhost:{good_port}"), trusting(&pki.ca)),
    );

    // The operating system does not know this CA: an unknown issuer, and no retrying.
    let reason = fails_with(
        settings(&format!("mqtts://127.0.0.1:{good_port}"), TlsOptions::default()),
        &["TLS", "not signed by a CA this computer trusts"],
    );
    assert!(reason.contains(&good_port.to_string()), "{reason}");

    // A certificate for another name: both names are given; the override makes it work.
    fails_with(
        settings(&format!("mqtts://127.0.0.1:{other_port}"), trusting(&pki.ca)),
        &["issued for \"broker.test\" but the connection expected \"127.0.0.1\""],
    );
    let mut named = trusting(&pki.ca);
    named.server_name = Some("broker.test".into());
    connects_and_receives(&broker, settings(&format!("mqtts://127.0.0.1:{other_port}"), named));

    // An expired certificate says when it expired.
    fails_with(
        settings(&format!("mqtts://127.0.0.1:{expired_port}"), trusting(&pki.ca)),
        &["expired on 2024-01-01"],
    );

    // Not verifying at all connects to any of them.
    let insecure = TlsOptions {
        insecure: true,
        ..TlsOptions::default()
    };
    connects_and_receives(
        &broker,
        settings(&format!("mqtts://127.0.0.1:{expired_port}"), insecure),
    );
}

#[test]
fn mutual_tls_needs_a_client_certificate_in_any_pem_key_format() {
    let pki = Pki::new("mqscope mTLS CA");
    let server = pki.server("server", &["127.0.0.1"]);
    let ec_client = pki.client("ec-client");
    let rsa_client = pki.rsa_client("rsa-client");
    let broker = Broker::start_with(BrokerConfig {
        listeners: vec![pki.tls_listener(&server, true)],
        ..BrokerConfig::default()
    });
    let url = format!("mqtts://127.0.0.1:{}", broker.ports()[0]);

    // Without a client certificate the broker ends the handshake, and the reason says so.
    fails_with(settings(&url, trusting(&pki.ca)), &["client certificate"]);

    let with_client = |cert: &std::path::Path, key: Option<&std::path::Path>| {
        let mut tls = trusting(&pki.ca);
        tls.client_cert_file = Some(cert.to_owned());
        tls.client_key_file = key.map(std::path::Path::to_owned);
        settings(&url, tls)
    };
    // PKCS#8 (EC), SEC1 (EC), PKCS#8 (RSA), PKCS#1 (RSA).
    let sec1 = traditional_key(&ec_client.key);
    assert!(
        std::fs::read_to_string(&sec1)
            .expect("read")
            .contains("BEGIN EC PRIVATE KEY")
    );
    let pkcs1 = traditional_key(&rsa_client.key);
    assert!(
        std::fs::read_to_string(&pkcs1)
            .expect("read")
            .contains("BEGIN RSA PRIVATE KEY")
    );
    for (cert, key) in [
        (&ec_client.cert, &ec_client.key),
        (&ec_client.cert, &sec1),
        (&rsa_client.cert, &rsa_client.key),
        (&rsa_client.cert, &pkcs1),
    ] {
        connects_and_receives(&broker, with_client(cert, Some(key)));
    }

    // Certificate and key in one file.
    let combined = pki.dir().join("combined.pem");
    let text = std::fs::read_to_string(&ec_client.cert).expect("cert") + &std::fs::read_to_string(&sec1).expect("key");
    std::fs::write(&combined, text).expect("write combined");
    connects_and_receives(&broker, with_client(&combined, None));

    // A key that belongs to another certificate is caught before connecting.
    fails_with(
        with_client(&ec_client.cert, Some(&rsa_client.key)),
        &[
            "cannot be used together",
            "ec-client.crt",
            "the key does not belong to the certificate",
        ],
    );
    // A client certificate from a CA the broker does not know.
    let other_ca = Pki::new("someone else");
    let stranger = other_ca.client("stranger");
    fails_with(with_client(&stranger.cert, Some(&stranger.key)), &["TLS"]);
}

#[test]
fn websockets_with_and_without_tls() {
    let pki = Pki::new("mqscope ws CA");
    let server = pki.server("server", &["localhost", "127.0.0.1"]);
    let broker = Broker::start_with(BrokerConfig {
        listeners: vec![
            Listener::Ws,
            Listener::Wss {
                cert: server.cert.clone(),
                key: server.key.clone(),
            },
        ],
        ..BrokerConfig::default()
    });
    let [ws_port, wss_port] = broker.ports() else {
        panic!("two listeners")
    };
    connects_and_receives(
        &broker,
        settings(&format!("ws://127.0.0.1:{ws_port}/mqtt"), TlsOptions::default()),
    );
    connects_and_receives(
        &broker,
        settings(&format!("ws://localhost:{ws_port}"), TlsOptions::default()),
    );
    connects_and_receives(
        &broker,
        settings(&format!("wss://127.0.0.1:{wss_port}/mqtt"), trusting(&pki.ca)),
    );
    fails_with(
        settings(&format!("wss://127.0.0.1:{wss_port}/mqtt"), TlsOptions::default()),
        &["not signed by a CA this computer trusts"],
    );

    // Each scheme pointed at the wrong kind of port says what is likely wrong.
    fails_with(
        settings(&format!("ws://127.0.0.1:{}/mqtt", broker.port()), TlsOptions::default()),
        &["WebSockets handshake"],
    );
    fails_with(
        settings(&format!("mqtts://127.0.0.1:{}", broker.port()), trusting(&pki.ca)),
        &["TLS handshake", "TLS port"],
    );
}

#[test]
fn a_long_token_as_password_over_tls() {
    let pki = Pki::new("mqscope token CA");
    let server = pki.server("server", &["127.0.0.1"]);
    // A 2 KB JWT-like token.
    let token: String = std::iter::repeat_n("eyJhbGciOiJIUzI1NiJ9.", 100).collect();
    let broker = Broker::start_with(BrokerConfig {
        users: vec![("device".into(), token.clone())],
        listeners: vec![pki.tls_listener(&server, false)],
        ..BrokerConfig::default()
    });
    let url = format!("mqtts://127.0.0.1:{}", broker.ports()[0]);
    let mut good = settings(&url, trusting(&pki.ca));
    good.username = Some("device".into());
    good.password = Some(token.clone());
    let mut watch = Watch::connect(good);
    watch.until_connected();
    watch.disconnect();

    let mut bad = settings(&url, trusting(&pki.ca));
    bad.username = Some("device".into());
    bad.password = Some(token[..token.len() - 1].to_owned());
    let reason = fails_with(bad, &["device"]);
    assert!(!reason.contains(&token[..40]), "the password never shows: {reason}");
}

#[test]
fn a_subscription_the_acl_denies_is_refused_while_the_others_work() {
    let broker = Broker::start_with(BrokerConfig {
        dynsec: true,
        ..BrokerConfig::default()
    });
    broker.dynsec(&["createClient", "alice", "-p", "secret"]);
    broker.dynsec(&["createRole", "reader"]);
    broker.dynsec(&["addRoleACL", "reader", "subscribePattern", "public/#", "allow"]);
    broker.dynsec(&["addClientRole", "alice", "reader"]);
    broker.dynsec(&["createClient", "writer", "-p", "pw"]);
    broker.dynsec(&["createRole", "writers"]);
    broker.dynsec(&["addRoleACL", "writers", "publishClientSend", "#", "allow"]);
    broker.dynsec(&["addClientRole", "writer", "writers"]);

    let mut settings = broker.settings();
    settings.username = Some("alice".into());
    settings.password = Some("secret".into());
    settings.subscriptions = vec![
        mqscope::model::Subscription::new("public/#"),
        mqscope::model::Subscription::new("private/#"),
    ];
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    watch.until("both SUBACKs", WAIT, |s| s.subscriptions().len() == 2);
    let outcomes = watch.session.subscriptions().to_vec();
    let public = outcomes.iter().find(|o| o.filter == "public/#").expect("public");
    let private = outcomes.iter().find(|o| o.filter == "private/#").expect("private");
    assert!(public.granted.is_ok(), "{public:?}");
    assert!(private.granted.is_err(), "{private:?}");

    // The allowed one keeps working.
    let publish = |topic: &str| {
        let status = std::process::Command::new("mosquitto_pub")
            .args(["-h", "127.0.0.1", "-p", &broker.port().to_string()])
            .args(["-u", "writer", "-P", "pw", "-q", "1", "-t", topic, "-m", "x"])
            .status()
            .expect("mosquitto_pub");
        assert!(status.success());
    };
    publish("private/diary");
    publish("public/news");
    watch.until("the public message", WAIT, |s| s.tree.find("public/news").is_some());
    assert!(watch.session.tree.find("private/diary").is_none());
    assert!(watch.session.state().is_connected());
    watch.disconnect();
}

/// The operating system's trust store is the default: a CA added to it (here through
/// `SSL_CERT_FILE`, which the system store honours on Linux) is trusted with no CA file chosen.
/// The environment is set for a child process running just this test, not for the whole binary.
#[test]
fn the_operating_systems_trust_store_is_used_by_default() {
    const CHILD: &str = "MQSCOPE_TEST_TRUST_STORE_PORT";
    if let Ok(port) = std::env::var(CHILD) {
        let mut watch = Watch::connect(settings(&format!("mqtts://localhost:{port}"), TlsOptions::default()));
        watch.until_connected();
        watch.disconnect();
        return;
    }
    let pki = Pki::new("mqscope system-store CA");
    let server = pki.server("server", &["localhost"]);
    let broker = Broker::start_with(BrokerConfig {
        listeners: vec![pki.tls_listener(&server, false)],
        ..BrokerConfig::default()
    });
    let output = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "the_operating_systems_trust_store_is_used_by_default",
            "--nocapture",
        ])
        .env(CHILD, broker.ports()[0].to_string())
        .env("SSL_CERT_FILE", &pki.ca)
        .env_remove("SSL_CERT_DIR")
        .output()
        .expect("run the child test");
    assert!(
        output.status.success() && String::from_utf8_lossy(&output.stdout).contains("1 passed"),
        "the child test failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The TLS connection of `tls_session_keys_go_to_sslkeylogfile_when_it_is_set`, run in a child
/// process of this test binary (the variable is read when the process starts using TLS, and a
/// test cannot set it for its own process); skipped when run on its own.
#[test]
#[ignore = "run by tls_session_keys_go_to_sslkeylogfile_when_it_is_set in a child process"]
fn tls_connection_for_the_key_log() {
    let (Some(port), Some(ca)) = (
        std::env::var("MQSCOPE_KEYLOG_PORT").ok(),
        std::env::var_os("MQSCOPE_KEYLOG_CA"),
    ) else {
        return;
    };
    let mut watch = Watch::connect(settings(
        &format!("mqtts://127.0.0.1:{port}"),
        trusting(std::path::Path::new(&ca)),
    ));
    watch.until_connected();
    watch.disconnect();
}

#[test]
fn tls_session_keys_go_to_sslkeylogfile_when_it_is_set() {
    let pki = Pki::new("mqscope test CA");
    let server = pki.server("server", &["localhost", "127.0.0.1"]);
    let broker = Broker::start_with(BrokerConfig {
        listeners: vec![pki.tls_listener(&server, false)],
        ..BrokerConfig::default()
    });
    let [tls_port] = broker.ports() else {
        panic!("one TLS listener")
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let key_log = dir.path().join("keys.log");
    let status = std::process::Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--exact", "tls_connection_for_the_key_log", "--ignored", "--nocapture"])
        .env("SSLKEYLOGFILE", &key_log)
        .env("MQSCOPE_KEYLOG_PORT", tls_port.to_string())
        .env("MQSCOPE_KEYLOG_CA", &pki.ca)
        .status()
        .expect("run the TLS connection in a child process");
    assert!(status.success(), "the TLS connection failed: {status}");
    let keys = std::fs::read_to_string(&key_log).unwrap_or_default();
    // TLS 1.3 (what Mosquitto and rustls agree on) logs its traffic secrets by client random.
    assert!(
        keys.lines().any(|l| l.starts_with("CLIENT_TRAFFIC_SECRET_0 ")),
        "no session keys in SSLKEYLOGFILE: {keys:?}"
    );
}
