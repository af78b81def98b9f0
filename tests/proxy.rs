//! Reaching a real Mosquitto through an HTTP CONNECT or SOCKS5 proxy, over TCP, TLS and
//! WebSockets with and without TLS; proxies that refuse the login or the broker, and say so;
//! and the TLS server name (SNI) following the server-name override when the broker is reached
//! by IP address.

mod support;

use std::time::Duration;

use mqscope::model::ConnectionState;
use mqscope::mqtt::{BrokerAddress, ConnectionSettings, ProxySettings, TlsOptions};
use support::faults::FaultyLink;
use support::pki::Pki;
use support::proxies::{Kind, Rules, TestProxy};
use support::sni::SniRecorder;
use support::{Broker, BrokerConfig, Listener, Watch, free_port};

const WAIT: Duration = Duration::from_secs(10);

/// A broker with a TLS, a WebSockets and a WebSockets-over-TLS listener beside its plain one,
/// its certificate for `localhost` and 127.0.0.1 issued by a CA made here.
struct Transports {
    pki: Pki,
    broker: Broker,
}

impl Transports {
    fn start() -> Self {
        let pki = Pki::new("mqscope proxy CA");
        let server = pki.server("server", &["localhost", "127.0.0.1"]);
        let broker = Broker::start_with(BrokerConfig {
            listeners: vec![
                pki.tls_listener(&server, false),
                Listener::Ws,
                Listener::Wss {
                    cert: server.cert.clone(),
                    key: server.key.clone(),
                },
            ],
            ..BrokerConfig::default()
        });
        Self { pki, broker }
    }

    /// The broker's address for every transport.
    fn urls(&self) -> Vec<String> {
        let [tls, ws, wss] = self.broker.ports() else {
            panic!("three listeners")
        };
        vec![
            format!("mqtt://localhost:{}", self.broker.port()),
            format!("mqtts://localhost:{tls}"),
            format!("ws://localhost:{ws}/mqtt"),
            format!("wss://127.0.0.1:{wss}/mqtt"),
        ]
    }

    fn settings(&self, url: &str, proxy: &str) -> ConnectionSettings {
        let mut settings = ConnectionSettings::new(BrokerAddress::parse(url).expect("valid address"));
        settings.tls = TlsOptions {
            ca_file: Some(self.pki.ca.clone()),
            ..TlsOptions::default()
        };
        settings.proxy = Some(ProxySettings::parse(proxy).expect("valid proxy"));
        settings
    }
}

/// Connect, and see a message published on the broker's plain listener arrive.
fn connects_and_receives(broker: &Broker, settings: ConnectionSettings, topic: &str) {
    let what = settings.address.to_string();
    let mut watch = Watch::connect(settings);
    watch.until(&format!("the connection to {what}"), WAIT, |s| s.state().is_connected());
    watch.until("the subscription", WAIT, |s| !s.subscriptions().is_empty());
    broker.mosquitto_pub(topic, b"through the proxy", false);
    watch.until(&format!("the message over {what}"), WAIT, |s| {
        s.tree.find(topic).is_some()
    });
    watch.disconnect();
}

/// Connect and wait for a failure; its reason.
fn failure_of(settings: ConnectionSettings) -> ConnectionState {
    let mut watch = Watch::connect(settings);
    watch.until("a failure", WAIT, |s| {
        matches!(
            s.state(),
            ConnectionState::Failed { .. } | ConnectionState::Reconnecting { .. }
        )
    });
    watch.session.state().clone()
}

fn reason(state: &ConnectionState) -> &str {
    match state {
        ConnectionState::Failed { reason } | ConnectionState::Reconnecting { reason, .. } => reason,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn connects_through_an_http_proxy_over_every_transport() {
    let transports = Transports::start();
    let proxy = TestProxy::start(Kind::Http, Rules::default());
    for (i, url) in transports.urls().iter().enumerate() {
        let settings = transports.settings(url, &proxy.url(None));
        connects_and_receives(&transports.broker, settings, &format!("proxy/http/{i}"));
    }
    let [tls, ws, wss] = transports.broker.ports() else {
        panic!("three listeners")
    };
    let plain = transports.broker.port();
    assert_eq!(
        proxy.targets(),
        [
            format!("localhost:{plain}"),
            format!("localhost:{tls}"),
            format!("localhost:{ws}"),
            format!("127.0.0.1:{wss}")
        ],
        "the proxy, not this computer, is asked for each broker, by the name given"
    );
}

#[test]
fn connects_through_a_socks5_proxy_with_a_login_over_every_transport() {
    let transports = Transports::start();
    let proxy = TestProxy::start(
        Kind::Socks5,
        Rules {
            login: Some(("gate".into(), "p@ss:word".into())),
            ..Rules::default()
        },
    );
    for (i, url) in transports.urls().iter().enumerate() {
        let settings = transports.settings(url, &proxy.url(Some(("gate", "p%40ss%3Aword"))));
        connects_and_receives(&transports.broker, settings, &format!("proxy/socks5/{i}"));
    }
    assert_eq!(
        proxy.targets().len(),
        4,
        "one tunnel per transport: {:?}",
        proxy.targets()
    );
    assert!(proxy.users().iter().all(|user| user == "gate"));
}

#[test]
fn connects_through_an_http_proxy_with_a_login() {
    let broker = Broker::start();
    let proxy = TestProxy::start(
        Kind::Http,
        Rules {
            login: Some(("gate".into(), "secret".into())),
            ..Rules::default()
        },
    );
    let mut settings = support::settings_for_port(broker.port());
    settings.proxy = Some(ProxySettings::parse(&proxy.url(Some(("gate", "secret")))).expect("valid"));
    connects_and_receives(&broker, settings, "proxy/http/login");
    assert_eq!(proxy.users(), ["gate"]);
}

#[test]
fn a_proxy_that_wants_a_login_or_refuses_it_says_so_and_stops() {
    let broker = Broker::start();
    for kind in [Kind::Http, Kind::Socks5] {
        let proxy = TestProxy::start(
            kind,
            Rules {
                login: Some(("gate".into(), "secret".into())),
                ..Rules::default()
            },
        );
        let mut settings = support::settings_for_port(broker.port());
        settings.proxy = Some(ProxySettings::parse(&proxy.url(None)).expect("valid"));
        let state = failure_of(settings.clone());
        assert!(
            matches!(state, ConnectionState::Failed { .. }),
            "{kind:?}: no retry helps: {state:?}"
        );
        assert_eq!(
            reason(&state),
            format!(
                "The proxy at {} asks for a login: enter the proxy's user name and password",
                proxy.url(None)
            )
        );

        settings.proxy = Some(ProxySettings::parse(&proxy.url(Some(("gate", "wrong")))).expect("valid"));
        let state = failure_of(settings);
        assert!(
            matches!(state, ConnectionState::Failed { .. }),
            "{kind:?}: no retry helps: {state:?}"
        );
        assert_eq!(
            reason(&state),
            format!(
                "The proxy at {} refused the login of user \"gate\": check the proxy's user name and password",
                proxy.url(None)
            )
        );
    }
}

#[test]
fn a_proxy_that_refuses_the_broker_says_why() {
    let broker = Broker::start();
    let target = format!("127.0.0.1:{}", broker.port());
    let cases = [
        (
            Kind::Http,
            "HTTP 403 Forbidden (the proxy does not allow this destination)",
        ),
        (Kind::Socks5, "connection not allowed by ruleset (SOCKS5 reply 2)"),
    ];
    for (kind, why) in cases {
        let proxy = TestProxy::start(
            kind,
            Rules {
                refuse_targets: true,
                ..Rules::default()
            },
        );
        let mut settings = support::settings_for_port(broker.port());
        settings.proxy = Some(ProxySettings::parse(&proxy.url(None)).expect("valid"));
        let state = failure_of(settings);
        assert!(
            matches!(state, ConnectionState::Failed { .. }),
            "{kind:?}: refused for good: {state:?}"
        );
        assert_eq!(
            reason(&state),
            format!(
                "The proxy at {} refused to reach the broker at {target}: {why}",
                proxy.url(None)
            )
        );
    }
}

#[test]
fn a_proxy_that_cannot_reach_a_stopped_broker_says_so_and_retries() {
    let down = free_port();
    let cases = [
        (
            Kind::Http,
            "HTTP 502 Bad Gateway (the proxy could not connect to the broker)",
        ),
        (Kind::Socks5, "connection refused by the broker's host (SOCKS5 reply 5)"),
    ];
    for (kind, why) in cases {
        let proxy = TestProxy::start(kind, Rules::default());
        let mut settings = support::settings_for_port(down);
        settings.proxy = Some(ProxySettings::parse(&proxy.url(None)).expect("valid"));
        let state = failure_of(settings);
        assert!(
            matches!(state, ConnectionState::Reconnecting { .. }),
            "{kind:?}: the broker may come back: {state:?}"
        );
        assert_eq!(
            reason(&state),
            format!(
                "The proxy at {} refused to reach the broker at 127.0.0.1:{down}: {why}",
                proxy.url(None)
            )
        );
    }
}

#[test]
fn an_unreachable_proxy_is_named_as_the_proxy() {
    let broker = Broker::start();
    let nobody = free_port();
    let mut settings = support::settings_for_port(broker.port());
    settings.proxy = Some(ProxySettings::parse(&format!("socks5://127.0.0.1:{nobody}")).expect("valid"));
    let state = failure_of(settings);
    assert_eq!(
        reason(&state),
        format!(
            "The proxy at socks5://127.0.0.1:{nobody} cannot be reached (connection refused): \
             is the proxy running, and are its host and port right?"
        )
    );
    assert!(matches!(state, ConnectionState::Reconnecting { .. }), "{state:?}");
}

#[test]
fn a_broker_certificate_refused_through_a_proxy_is_the_broker_s() {
    let transports = Transports::start();
    let proxy = TestProxy::start(Kind::Socks5, Rules::default());
    let [tls, ..] = transports.broker.ports() else {
        panic!("three listeners")
    };
    // No CA file: the system does not trust the test CA.
    let mut settings = transports.settings(&format!("mqtts://localhost:{tls}"), &proxy.url(None));
    settings.tls.ca_file = None;
    let state = failure_of(settings);
    let reason = reason(&state);
    assert!(
        reason.starts_with(&format!(
            "TLS with mqtts://localhost:{tls} failed: the broker's certificate was rejected"
        )),
        "{reason}"
    );
    assert!(matches!(state, ConnectionState::Failed { .. }), "{state:?}");
}

#[test]
fn keep_alive_notices_a_dead_link_behind_a_proxy() {
    let broker = Broker::start();
    let link = FaultyLink::to(broker.port());
    let proxy = TestProxy::start(Kind::Http, Rules::default());
    let mut settings = support::settings_for_port(link.port());
    settings.proxy = Some(ProxySettings::parse(&proxy.url(None)).expect("valid"));
    settings.keep_alive_secs = 5;
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    link.stall();
    watch.until("the dead link to be noticed", Duration::from_secs(15), |s| {
        Watch::reason_contains(s, "stopped answering")
    });
    link.resume();
    watch.until("the reconnection", Duration::from_secs(40), |s| {
        s.state().is_connected()
    });
    watch.disconnect();
}

/// A broker whose TLS listener holds a certificate for `broker.test` only, and a recorder of
/// the server names clients send it.
fn named_broker() -> (Pki, Broker, SniRecorder) {
    let pki = Pki::new("mqscope sni CA");
    let server = pki.server("named", &["broker.test"]);
    let broker = Broker::start_with(BrokerConfig {
        listeners: vec![pki.tls_listener(&server, false)],
        ..BrokerConfig::default()
    });
    let [tls] = broker.ports() else { panic!("one listener") };
    let recorder = SniRecorder::to(*tls);
    (pki, broker, recorder)
}

fn by_ip(pki: &Pki, recorder: &SniRecorder, server_name: Option<&str>) -> ConnectionSettings {
    let address = BrokerAddress::parse(&format!("mqtts://127.0.0.1:{}", recorder.port())).expect("valid");
    let mut settings = ConnectionSettings::new(address);
    settings.tls = TlsOptions {
        ca_file: Some(pki.ca.clone()),
        server_name: server_name.map(str::to_owned),
        ..TlsOptions::default()
    };
    settings
}

#[test]
fn sni_follows_the_server_name_override_when_connecting_by_ip() {
    let (pki, broker, recorder) = named_broker();
    connects_and_receives(&broker, by_ip(&pki, &recorder, Some("broker.test")), "sni/override");
    assert_eq!(recorder.names(), [Some("broker.test".to_owned())]);
}

#[test]
fn sni_is_not_sent_for_an_ip_address_without_an_override() {
    let (pki, _broker, recorder) = named_broker();
    let state = failure_of(by_ip(&pki, &recorder, None));
    assert!(
        reason(&state).contains("it is issued for \"broker.test\" but the connection expected \"127.0.0.1\""),
        "{}",
        reason(&state)
    );
    assert_eq!(recorder.names(), [None], "an IP address is never sent as a server name");
}

#[test]
fn sni_override_is_the_name_the_certificate_is_checked_against() {
    let (pki, _broker, recorder) = named_broker();
    let state = failure_of(by_ip(&pki, &recorder, Some("other.test")));
    assert!(matches!(state, ConnectionState::Failed { .. }), "{state:?}");
    let reason = reason(&state);
    assert!(
        reason.contains("it is issued for \"broker.test\" but the connection expected \"other.test\""),
        "{reason}"
    );
    assert_eq!(recorder.names(), [Some("other.test".to_owned())]);
}

#[test]
fn sni_override_and_a_proxy_together() {
    let (pki, broker, recorder) = named_broker();
    let proxy = TestProxy::start(Kind::Socks5, Rules::default());
    let mut settings = by_ip(&pki, &recorder, Some("broker.test"));
    settings.proxy = Some(ProxySettings::parse(&proxy.url(None)).expect("valid"));
    connects_and_receives(&broker, settings, "sni/proxy");
    assert_eq!(recorder.names(), [Some("broker.test".to_owned())]);
    assert_eq!(proxy.targets(), [format!("127.0.0.1:{}", recorder.port())]);
}
