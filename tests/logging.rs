//! The log file, written as the app writes it, while connecting to a real Mosquitto with a
//! password: it names the broker and the user, never the password.

mod support;

use std::time::{Duration, Instant};

use support::{Broker, BrokerConfig, Watch};

const PASSWORD: &str = "s3cret-Pa55word";
const WRONG_PASSWORD: &str = "wr0ng-Pa55word";

/// Both log files (the current one and the one before), as text.
fn logged(dir: &std::path::Path) -> String {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    read("mqscope.log.1") + &read("mqscope.log")
}

#[test]
fn a_logged_connection_names_its_broker_and_user_but_never_the_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Everything, as a user asked for a bug report (`RUST_LOG=trace`) would log it.
    let logging = mqscope::logging::init(Some(dir.path()), "trace");
    assert_eq!(
        logging.file.as_deref().ok(),
        Some(dir.path().join("mqscope.log").as_path())
    );

    let broker = Broker::start_with(BrokerConfig {
        users: vec![("alice".into(), PASSWORD.into())],
        ..BrokerConfig::default()
    });
    let mut settings = broker.settings();
    settings.username = Some("alice".into());
    settings.password = Some(PASSWORD.into());
    tracing::info!(?settings, "connection settings");
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    watch.disconnect();

    let mut settings = broker.settings();
    settings.username = Some("alice".into());
    settings.password = Some(WRONG_PASSWORD.into());
    let mut watch = Watch::connect(settings);
    watch.until("the rejection", Duration::from_secs(10), |s| s.state().is_ended());

    let deadline = Instant::now() + Duration::from_secs(5);
    while !logged(dir.path()).contains("connection failed") {
        assert!(
            Instant::now() < deadline,
            "the failure was not logged: {}",
            logged(dir.path())
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = logged(dir.path());
    assert!(text.contains("connected") && text.contains(&broker.url()), "{text}");
    assert!(text.contains("alice"), "{text}");
    assert!(text.contains("<hidden>"), "{text}");
    assert!(!text.contains(PASSWORD), "the password is in the log:\n{text}");
    assert!(
        !text.contains(WRONG_PASSWORD),
        "the wrong password is in the log:\n{text}"
    );
    // The failure is among the latest problems the About window shows.
    assert!(
        logging
            .recent
            .problems()
            .iter()
            .any(|p| p.contains("connection failed")),
        "{:?}",
        logging.recent.problems()
    );
}
