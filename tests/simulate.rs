//! Simulated devices publishing through mqscope's connection to a real Mosquitto, observed by
//! a second client.

mod support;

use std::io::Read as _;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mqscope::model::simulate::{Device, Rate, SimTopic, Simulation};
use mqscope::model::{Qos, Session};
use mqscope::mqtt::{Connection, ConnectionSettings};
use mqscope::simulate::{Simulators, Snapshot, Status};
use support::{Broker, settings_for_port};

/// A connection feeding a session and the simulators, as a tab does.
struct Tab {
    runtime: tokio::runtime::Runtime,
    connection: Connection,
    session: Session,
    simulators: Simulators,
}

impl Tab {
    fn connect(settings: ConnectionSettings) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let connection = Connection::spawn(runtime.handle(), settings, Arc::new(|| {}));
        Self {
            runtime,
            connection,
            session: Session::new(),
            simulators: Simulators::default(),
        }
    }

    /// Apply events, as the window does each frame, until `done` or `timeout`.
    fn pump_until(&mut self, timeout: Duration, done: impl Fn(&Session) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            let (session, simulators) = (&mut self.session, &mut self.simulators);
            self.connection
                .events()
                .drain(Instant::now() + Duration::from_millis(20), |event| {
                    simulators.observe(&event);
                    session.apply(event, Instant::now());
                });
            simulators.settle();
            if done(&self.session) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    fn start(&mut self, simulation: &Simulation) -> Arc<Status> {
        let status = Arc::new(Status::default());
        self.simulators
            .start(simulation, Some(self.connection.publisher()), Arc::clone(&status));
        status
    }
}

impl Drop for Tab {
    fn drop(&mut self) {
        self.simulators.stop_all();
        self.connection.disconnect();
        std::thread::sleep(Duration::from_millis(50));
        let _ = &self.runtime;
    }
}

fn simulation(rate: Rate, topic: &str, payload: &str) -> Simulation {
    Simulation {
        name: "test".into(),
        rate,
        devices: vec![Device {
            name: "probe".into(),
            topics: vec![SimTopic {
                topic: topic.into(),
                payload: payload.into(),
                qos: Qos::AtMostOnce,
                retain: false,
            }],
        }],
    }
}

#[test]
fn a_simulated_device_publishes_at_its_rate_with_fields_following_their_generators() {
    let broker = Broker::start();
    let mut tab = Tab::connect(broker.settings());
    assert!(tab.pump_until(Duration::from_secs(10), |s| s.state().is_connected()));
    // The second client listens for 4 s; the simulation runs 3 s of them at 50 msg/s.
    let port = broker.port().to_string();
    let mut listener = std::process::Command::new("mosquitto_sub")
        .args(["-h", "127.0.0.1", "-p", &port, "-v", "-W", "4", "-t", "sim/probe/#"])
        .stdout(Stdio::piped())
        // It says "Timed out" when the 4 s are up.
        .stderr(Stdio::null())
        .spawn()
        .expect("mosquitto_sub");
    std::thread::sleep(Duration::from_millis(300));
    let status = tab.start(&simulation(
        Rate::PerSecond(50.0),
        "sim/{{device}}/state",
        r#"{"n":{{counter}},"r":{{random(10,20)}},"w":{{walk(5.0,1.0,0.0,10.0)}}}"#,
    ));
    tab.pump_until(Duration::from_secs(3), |_| false);
    status.stop();
    tab.pump_until(Duration::from_secs(2), |_| false);
    let mut output = String::new();
    listener
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut output)
        .expect("read");
    listener.wait().ok();

    let payloads: Vec<serde_json::Value> = output
        .lines()
        .map(|line| {
            let (topic, payload) = line.split_once(' ').expect("topic and payload");
            assert_eq!(topic, "sim/probe/state");
            serde_json::from_str(payload).expect("JSON payload")
        })
        .collect();
    assert!(
        (120..=180).contains(&payloads.len()),
        "50 msg/s for 3 s is about 150 messages, the other client saw {}",
        payloads.len()
    );
    let counters: Vec<i64> = payloads.iter().map(|p| p["n"].as_i64().expect("n")).collect();
    assert_eq!(counters[0], 1);
    assert!(
        counters.windows(2).all(|w| w[1] == w[0] + 1),
        "the counter counts by one: {counters:?}"
    );
    assert!(
        payloads
            .iter()
            .all(|p| (10..=20).contains(&p["r"].as_i64().expect("r")))
    );
    assert!(
        payloads
            .iter()
            .all(|p| (0.0..=10.0).contains(&p["w"].as_f64().expect("w")))
    );

    let snapshot = status.snapshot();
    assert!(!snapshot.running);
    assert_eq!(
        snapshot.sent,
        payloads.len() as u64,
        "every message sent was seen: {snapshot:?}"
    );
    assert_eq!((snapshot.failed, snapshot.ended), (0, None));
}

#[test]
fn a_simulation_without_a_broker_counts_its_messages_as_failed_not_connected() {
    // Nothing listens on this port: the connection keeps retrying.
    let port = support::free_port();
    let mut tab = Tab::connect(settings_for_port(port));
    let status = tab.start(&simulation(Rate::PerSecond(20.0), "sim/offline", "{{counter}}"));
    let failed = tab.pump_until(Duration::from_secs(10), |_| status.snapshot().failed >= 5);
    let snapshot: Snapshot = status.snapshot();
    assert!(failed, "{snapshot:?}");
    assert!(snapshot.running, "it goes on, in case the broker comes back");
    assert_eq!(snapshot.sent, 0);
    assert!(
        snapshot
            .last_failure
            .as_deref()
            .is_some_and(|why| why.contains("Not connected")),
        "{snapshot:?}"
    );
    status.stop();
}

#[test]
fn a_simulation_with_a_wrong_template_does_not_start_and_says_where() {
    let broker = Broker::start();
    let mut tab = Tab::connect(broker.settings());
    assert!(tab.pump_until(Duration::from_secs(10), |s| s.state().is_connected()));
    let status = tab.start(&simulation(Rate::PerSecond(5.0), "sim/bad", r#"{"t": {{walk(1,2)}}}"#));
    let snapshot = status.snapshot();
    assert!(!snapshot.running);
    let ended = snapshot.ended.expect("why it ended");
    assert!(ended.contains("column 7") && ended.contains("walk"), "{ended}");
}
