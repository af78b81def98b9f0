//! Passwords in a real OS keyring: a private D-Bus session with GNOME Keyring's
//! Secret Service, started by the test, driven through the window.
//!
//! The test runs itself again in a child process whose environment names the
//! private session bus, so nothing here touches the user's keyring.

mod support;
#[path = "support/ui.rs"]
mod ui_support;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable as _;
use mqscope::profiles::profile::PasswordStorage;
use mqscope::profiles::secrets::{Keyring, SERVICE, account};
use support::{Broker, BrokerConfig};
use ui_support::{Fixture, has_label, has_label_containing, profiles_file_once, replace_text, step_until, type_into};

/// A D-Bus session bus with GNOME Keyring's Secret Service on it, its login keyring unlocked.
struct SessionKeyring {
    /// The bus and keyring processes, in the process that started them.
    children: Vec<Child>,
    address: String,
    _dir: Option<tempfile::TempDir>,
}

impl SessionKeyring {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (package dbus-daemon) must be installed");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("the bus address");
        let address = address.trim().to_owned();
        let runtime_dir = dir.path().join("run");
        std::fs::create_dir_all(&runtime_dir).expect("runtime dir");
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_RUNTIME_DIR", &runtime_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (package gnome-keyring) must be installed");
        // The login keyring's password, then end of input.
        let mut stdin = keyring.stdin.take().expect("stdin");
        stdin.write_all(b"test-login-password").expect("unlock password");
        drop(stdin);
        let session = Self {
            children: vec![keyring, bus],
            address,
            _dir: Some(dir),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !session.has_secret_service() {
            assert!(Instant::now() < deadline, "the Secret Service never came up");
            std::thread::sleep(Duration::from_millis(50));
        }
        session
    }

    /// The session keyring another process started, on the bus at `address`.
    fn attach(address: &str) -> Self {
        Self {
            children: Vec::new(),
            address: address.to_owned(),
            _dir: None,
        }
    }

    fn has_secret_service(&self) -> bool {
        Command::new("dbus-send")
            .args([
                "--session",
                "--dest=org.freedesktop.DBus",
                "--print-reply",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("boolean true"))
    }

    /// The password the keyring holds for profile `id`, read by another program (secret-tool).
    fn lookup(&self, id: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", SERVICE, "username", &account(id)])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .expect("secret-tool (package libsecret-tools) must be installed");
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Wait until the keyring holds `expected` for profile `id` (`None`: holds nothing).
    fn wait_for(&self, id: &str, expected: Option<&str>) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self.lookup(id);
            if found.as_deref() == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the keyring holds {found:?} for {id}, not {expected:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SessionKeyring {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Set in the copy of this test run on the private session bus.
const ON_PRIVATE_BUS: &str = "MQSCOPE_TEST_ON_PRIVATE_BUS";

#[test]
fn a_password_kept_in_the_os_keyring_connects_after_a_restart_and_goes_with_the_profile() {
    const NAME: &str = "a_password_kept_in_the_os_keyring_connects_after_a_restart_and_goes_with_the_profile";
    if std::env::var_os(ON_PRIVATE_BUS).is_none() {
        // The keyring is reached through the session bus named in the environment: run this
        // test again in a process whose environment names the private one.
        let session = SessionKeyring::start();
        let status = Command::new(std::env::current_exe().expect("this test binary"))
            .args(["--exact", NAME, "--nocapture"])
            .env("DBUS_SESSION_BUS_ADDRESS", &session.address)
            .env(ON_PRIVATE_BUS, &session.address)
            .status()
            .expect("run on the private bus");
        assert!(status.success(), "the test failed on the private session bus");
        return;
    }
    let session = SessionKeyring::attach(&std::env::var(ON_PRIVATE_BUS).expect("the bus address"));

    let broker = Broker::start_with(BrokerConfig {
        users: vec![("ada".into(), "lovelace-2kb-token".into())],
        ..BrokerConfig::default()
    });
    broker.mosquitto_pub_as("vault/check", b"open", true, ("ada", "lovelace-2kb-token"));
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with(Keyring::start());
    step_until(&mut harness, "the keyring check", |h| {
        h.state().manager.keyring_available()
    });

    // A new profile keeps its password in the keyring by default.
    harness.get_by_label("New").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Name", "Vault");
    replace_text(&mut harness, "Broker", &broker.url());
    type_into(&mut harness, "User name", "ada");
    type_into(&mut harness, "Password", "lovelace-2kb-token");
    assert_eq!(
        harness.state().manager.selected().map(|p| p.password_storage),
        Some(PasswordStorage::Keyring),
        "the keyring is chosen"
    );
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, &format!("Connected to mqtt://127.0.0.1:{}", broker.port()))
    });
    step_until(&mut harness, "the retained topic", |h| has_label(h, "vault"));

    // In the keyring, as another program sees it; not in the profile file.
    let file = profiles_file_once(&fixture, |v| {
        v["profiles"].as_array().is_some_and(|p| {
            p.iter()
                .any(|p| p["name"] == "Vault" && p["password_storage"] == "keyring")
        })
    });
    assert!(!file.to_string().contains("lovelace"), "not in the file: {file}");
    let id = file["profiles"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "Vault"))
        .and_then(|p| p["id"].as_str())
        .expect("the profile's id")
        .to_owned();
    session.wait_for(&id, Some("lovelace-2kb-token"));

    // A new window: the last used profile connects with the password from the keyring.
    drop(harness);
    let mut harness = fixture.harness_with(Keyring::start());
    harness.run_steps(2);
    assert_eq!(
        harness.state().manager.selected().map(|p| p.name.clone()).as_deref(),
        Some("Vault")
    );
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection with the kept password", |h| {
        has_label_containing(h, &format!("Connected to mqtt://127.0.0.1:{}", broker.port()))
    });
    step_until(&mut harness, "the retained topic", |h| has_label(h, "vault"));

    // Moving the password to "ask each time" takes it out of the keyring.
    harness.get_by_label("Connections…").click();
    step_until(&mut harness, "the connection manager", |h| {
        has_label(h, "Ask each time")
    });
    harness.get_by_label("Ask each time").click();
    harness.run_steps(2);
    session.wait_for(&id, None);
    // And back: written again.
    harness.get_by_label("OS keyring").click();
    harness.run_steps(2);
    session.wait_for(&id, Some("lovelace-2kb-token"));

    // Deleting the profile deletes its password.
    harness.get_by_label("Delete…").click();
    step_until(&mut harness, "the question", |h| has_label(h, "Delete this profile?"));
    harness.get_by_label("Delete").click();
    harness.run_steps(2);
    session.wait_for(&id, None);
    assert!(Path::new(&fixture.config.path().join("profiles.json")).exists());
}
