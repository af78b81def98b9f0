//! The matrix's features, each measured through mqscope's own connection path (`Watch`, as
//! the window connects: MQTT 5 first, 3.1.1 when the broker does not speak it) against one
//! broker, each returning its cell. Messages from outside mqscope are published with
//! `mosquitto_pub` (MQTT 3.1.1).

use std::process::Command;
use std::time::{Duration, Instant};

use bytes::Bytes;
use mqscope::model::{ConnectionState, MqttVersion, PublishOutcome, Qos, Session, Subscription};
use mqscope::mqtt::{BrokerAddress, ConnectionSettings, PublishRequest};

use super::brokers::{PASSWORD, USER};
use super::matrix::Brokers;
use crate::support::{Watch, settings_for_port};

/// How long anything may take: generous, so a busy machine does not fail the matrix.
const WAIT: Duration = Duration::from_secs(30);

/// How long a broker has to publish its first `$SYS` message (Mosquitto's default interval is
/// 10 s; the test brokers that have one publish every second), or a retained message.
const SYS_WAIT: Duration = Duration::from_secs(15);

/// Publish from outside mqscope (MQTT 3.1.1, QoS 1); an empty payload with `retain` clears.
fn publish_outside(port: u16, topic: &str, payload: &str, retain: bool) {
    let mut command = Command::new("mosquitto_pub");
    command.args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q", "1", "-t", topic]);
    if payload.is_empty() {
        command.arg("-n");
    } else {
        command.args(["-m", payload]);
    }
    if retain {
        command.arg("-r");
    }
    let output = command
        .output()
        .expect("run mosquitto_pub (apt-get install mosquitto-clients)");
    assert!(
        output.status.success(),
        "mosquitto_pub failed: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
}

/// Apply events for up to `limit` or until `done` holds; whether it did.
fn within(watch: &mut Watch, limit: Duration, done: impl Fn(&Session) -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        watch.until("a moment", Duration::from_millis(200), |_| true);
        if done(&watch.session) {
            return true;
        }
    }
    false
}

/// Connect and wait until the connection is up and the broker answered every subscription
/// (a broker that closes the connection at one takes a few connections to settle), failing
/// with the state's reason.
fn connected(settings: ConnectionSettings) -> Watch {
    let filters = settings.subscriptions.len();
    let mut watch = Watch::connect(settings);
    watch.until("the connection and its subscriptions", WAIT, |s| {
        s.state().is_connected() && s.subscriptions().len() >= filters
    });
    watch
}

/// The broker's refusal of a subscription but `$SYS/#` (which [`sys`] measures), if any.
fn subscribed(watch: &Watch) -> Option<String> {
    watch
        .session
        .subscriptions()
        .iter()
        .filter(|s| !s.filter.starts_with("$SYS"))
        .find_map(|s| {
            s.granted
                .as_ref()
                .err()
                .map(|why| format!("✗ refused {}: {why}", s.filter))
        })
}

/// Publish `topic` from outside until it shows in the tree (a subscription may be made a
/// moment after its SUBACK).
fn until_arrives(watch: &mut Watch, port: u16, topic: &str) {
    let deadline = Instant::now() + WAIT;
    while !within(watch, Duration::from_millis(500), |s| s.tree.find(topic).is_some()) {
        assert!(Instant::now() < deadline, "no message on {topic}");
        publish_outside(port, topic, "1", false);
    }
}

fn only(filter: &str, qos: Qos) -> Vec<Subscription> {
    vec![Subscription {
        qos,
        ..Subscription::new(filter)
    }]
}

fn request(topic: &str, payload: Vec<u8>, qos: Qos, retain: bool) -> PublishRequest {
    PublishRequest {
        topic: topic.to_owned(),
        payload: Bytes::from(payload),
        qos,
        retain,
        properties: None,
    }
}

/// Publish through mqscope and wait for its outcome.
fn publish(watch: &mut Watch, request: PublishRequest) -> PublishOutcome {
    let id = watch.publish(request);
    watch.until("the publish's outcome", WAIT, |s| s.publish_outcome(id).is_some());
    watch.session.publish_outcome(id).cloned().expect("an outcome")
}

pub fn connect(brokers: &mut Brokers) -> String {
    connected(settings_for_port(brokers.open.port())).disconnect();
    "✓".to_owned()
}

pub fn login(brokers: &mut Brokers) -> String {
    let mut settings = settings_for_port(brokers.login().port());
    settings.username = Some(USER.to_owned());
    settings.password = Some(PASSWORD.to_owned());
    connected(settings).disconnect();
    "✓".to_owned()
}

pub fn refused_login(brokers: &mut Brokers) -> String {
    let mut settings = settings_for_port(brokers.login().port());
    settings.username = Some(USER.to_owned());
    settings.password = Some("wrong".to_owned());
    let mut watch = Watch::connect(settings);
    if !within(&mut watch, WAIT, |s| s.state().is_ended()) {
        if closed_at_login(&mut watch) {
            return "✗ closes, no CONNACK".to_owned();
        }
        return format!("✗ not refused: {:?}", watch.session.state());
    }
    match watch.session.state() {
        // The reason names the user and says the password was not accepted.
        ConnectionState::Failed { reason } if reason.contains(USER) && reason.contains("password") => "✓".to_owned(),
        other => format!("✗ {other:?}"),
    }
}

/// A broker that closes the connection at a wrong login instead of refusing it in its CONNACK:
/// mqscope cannot know it was the login, and says it may have been while it tries again.
fn closed_at_login(watch: &mut Watch) -> bool {
    within(watch, WAIT, |s| {
        Watch::reason_contains(s, "closed the connection") && Watch::reason_contains(s, USER)
    })
}

pub fn subscribe_all(brokers: &mut Brokers) -> String {
    let port = brokers.open.port();
    let mut watch = connected(settings_for_port(port));
    if let Some(refused) = subscribed(&watch) {
        return refused;
    }
    until_arrives(&mut watch, port, "matrix/live");
    watch.disconnect();
    "✓".to_owned()
}

pub fn sys(brokers: &mut Brokers) -> String {
    let mut watch = connected(settings_for_port(brokers.open.port()));
    if let Some(refused) = subscribed(&watch) {
        return refused;
    }
    // A broker may refuse the subscription (in its SUBACK, or by closing the connection at it:
    // mqscope then shows it refused, and Broker status says so).
    let sys_refused = |s: &Session| {
        s.subscriptions()
            .iter()
            .any(|s| s.filter == "$SYS/#" && s.granted.is_err())
    };
    if within(&mut watch, Duration::from_secs(5), sys_refused) {
        watch.disconnect();
        return "not offered".to_owned();
    }
    // Statistics the Broker status window shows, or only other $SYS topics, or nothing.
    let statistics = |s: &Session| {
        [
            "$SYS/broker/version",
            "$SYS/broker/uptime",
            "$SYS/broker/messages/received",
        ]
        .iter()
        .any(|topic| s.tree.find(topic).is_some())
    };
    let cell = if within(&mut watch, SYS_WAIT, statistics) {
        "✓"
    } else if watch.session.tree.find("$SYS").is_some() {
        "✗ own topic names"
    } else {
        "not offered"
    };
    watch.disconnect();
    cell.to_owned()
}

pub fn retained(brokers: &mut Brokers) -> String {
    let port = brokers.open.port();
    publish_outside(port, "matrix/retained", "kept", true);
    let mut watch = connected(settings_for_port(port));
    if !within(&mut watch, SYS_WAIT, |s| s.tree.find("matrix/retained").is_some()) {
        return "✗ not sent to #".to_owned();
    }
    let message = watch
        .session
        .tree
        .latest_of("matrix/retained")
        .cloned()
        .expect("the message");
    watch.disconnect();
    if message.retain && message.payload.as_ref() == b"kept" {
        "✓".to_owned()
    } else {
        format!("✗ arrived with retain {}", message.retain)
    }
}

/// Which topics under `matrix/clear/` the broker retains, as mqscope's clearing asks it.
fn retained_now(settings: &ConnectionSettings) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let filters = ["matrix/clear/#".to_owned()];
    runtime
        .block_on(mqscope::mqtt::retained::retained_topics(settings, &filters, WAIT))
        .unwrap_or_else(|why| panic!("{why}"))
}

pub fn clear_retained(brokers: &mut Brokers) -> String {
    let port = brokers.open.port();
    publish_outside(port, "matrix/clear/one", "stale", true);
    let mut watch = connected(settings_for_port(port));
    // mqscope asks with the version its connection speaks, as the window's clearing does.
    let mut settings = settings_for_port(port);
    if let ConnectionState::Connected { version, .. } = watch.session.state() {
        settings.version = (*version).into();
    }
    let listed = retained_now(&settings);
    if listed.is_empty() {
        return "✗ not found by a wildcard".to_owned();
    }
    if listed != ["matrix/clear/one"] {
        return format!("✗ listed {listed:?}");
    }
    let outcome = publish(
        &mut watch,
        request("matrix/clear/one", Vec::new(), Qos::AtLeastOnce, true),
    );
    watch.disconnect();
    if let PublishOutcome::Failed(why) = outcome {
        return format!("✗ {why}");
    }
    let left = retained_now(&settings);
    if left.is_empty() {
        "✓".to_owned()
    } else {
        "✗ still retained".to_owned()
    }
}

pub fn qos(brokers: &mut Brokers, qos: Qos) -> String {
    let mut settings = settings_for_port(brokers.open.port());
    settings.subscriptions = only("matrix/qos/#", Qos::ExactlyOnce);
    let mut watch = connected(settings);
    if let Some(refused) = subscribed(&watch) {
        return refused;
    }
    let topic = format!("matrix/qos/{}", qos.level());
    let outcome = publish(&mut watch, request(&topic, b"ping".to_vec(), qos, false));
    let expected = match qos {
        Qos::AtMostOnce => PublishOutcome::Sent,
        Qos::AtLeastOnce => PublishOutcome::Acknowledged { packet: "PUBACK" },
        Qos::ExactlyOnce => PublishOutcome::Acknowledged { packet: "PUBCOMP" },
    };
    match outcome {
        outcome if outcome == expected => {}
        PublishOutcome::Acknowledged { packet } => return format!("✗ acknowledged by {packet}"),
        other => return format!("✗ {other:?}"),
    }
    watch.until("the message back", WAIT, |s| s.tree.find(&topic).is_some());
    let received = watch
        .session
        .tree
        .latest_of(&topic)
        .map(|m| m.qos)
        .expect("the message");
    watch.disconnect();
    if received == qos {
        "✓".to_owned()
    } else {
        format!("✗ delivered at QoS {}", received.level())
    }
}

pub fn big_payload(brokers: &mut Brokers) -> String {
    let mut settings = settings_for_port(brokers.open.port());
    settings.subscriptions = only("matrix/big", Qos::AtLeastOnce);
    let mut watch = connected(settings);
    if let Some(refused) = subscribed(&watch) {
        return refused;
    }
    let payload: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
    let outcome = publish(
        &mut watch,
        request("matrix/big", payload.clone(), Qos::AtLeastOnce, false),
    );
    if let PublishOutcome::Failed(why) = outcome {
        return format!("✗ {why}");
    }
    watch.until("the 1 MiB message back", Duration::from_secs(60), |s| {
        s.tree.find("matrix/big").is_some()
    });
    let intact = watch
        .session
        .tree
        .latest_of("matrix/big")
        .is_some_and(|m| m.payload == payload);
    watch.disconnect();
    if intact { "✓" } else { "✗ changed" }.to_owned()
}

pub fn takeover(brokers: &mut Brokers) -> String {
    let mut settings = settings_for_port(brokers.open.port());
    settings.client_id = format!("matrix-takeover-{}", fastrand::u32(..));
    settings.subscriptions = only("matrix/takeover", Qos::AtMostOnce);
    let mut first = connected(settings.clone());
    let mut second = Watch::connect(settings);
    let deadline = Instant::now() + Duration::from_secs(45);
    while Instant::now() < deadline {
        within(&mut first, Duration::from_millis(200), |_| false);
        within(&mut second, Duration::from_millis(200), |_| false);
        let named = [&first, &second]
            .iter()
            .any(|w| Watch::reason_contains(&w.session, "same client id"));
        if named {
            return "✓".to_owned();
        }
    }
    if first.session.state().is_connected() && second.session.state().is_connected() {
        "✗ both stay connected".to_owned()
    } else {
        format!(
            "✗ not named: {:?} / {:?}",
            first.session.state(),
            second.session.state()
        )
    }
}

pub fn websockets(brokers: &mut Brokers) -> String {
    let Some(ws_port) = brokers.open.ws_port() else {
        return "not offered".to_owned();
    };
    let path = brokers.open.ws_path();
    let address = BrokerAddress::parse(&format!("ws://127.0.0.1:{ws_port}{path}")).expect("address");
    let mut settings = ConnectionSettings::new(address);
    settings.subscriptions = only("matrix/ws/#", Qos::AtMostOnce);
    let mut watch = connected(settings);
    if let Some(refused) = subscribed(&watch) {
        return refused;
    }
    until_arrives(&mut watch, brokers.open.port(), "matrix/ws/live");
    watch.disconnect();
    "✓".to_owned()
}

pub fn mqtt5(brokers: &mut Brokers) -> String {
    let watch = connected(settings_for_port(brokers.open.v5_port()));
    // Where the broker does not speak 5, the state says the connection fell back to 3.1.1.
    let cell = match watch.session.state() {
        ConnectionState::Connected {
            version: MqttVersion::V5,
            ..
        } => "✓",
        ConnectionState::Connected {
            version: MqttVersion::V311,
            fell_back: true,
            ..
        } => "not offered",
        _ => "✗ 3.1.1 without falling back",
    };
    watch.disconnect();
    cell.to_owned()
}

pub fn restart(brokers: &mut Brokers) -> String {
    let port = brokers.open.port();
    let mut settings = settings_for_port(port);
    settings.subscriptions = only("matrix/restart/#", Qos::AtMostOnce);
    let mut watch = connected(settings);
    until_arrives(&mut watch, port, "matrix/restart/before");
    brokers.open.stop();
    watch.until("the loss to be reported", WAIT, |s| {
        matches!(s.state(), ConnectionState::Reconnecting { .. })
    });
    brokers.open.restart();
    watch.until("the reconnection", Duration::from_secs(60), |s| {
        s.state().is_connected()
    });
    until_arrives(&mut watch, port, "matrix/restart/after");
    let kept = watch.session.tree.find("matrix/restart/before").is_some();
    watch.disconnect();
    if kept { "✓" } else { "✗ tree lost" }.to_owned()
}
