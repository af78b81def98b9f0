//! amqtt, the Python asyncio broker, from the venv tests/interop.sh keeps under
//! `target/interop/venv`: its `amqtt` command with a YAML configuration written to a temp dir.
//! MQTT 3.1.1 on TCP and WebSockets, `$SYS` statistics every second; no MQTT 5.

use std::process::Command;

use super::brokers::{MatrixBroker, PASSWORD, USER};
use super::process::{BrokerProcess, install_dir};
use crate::support::free_port;

/// An amqtt process.
pub struct Amqtt {
    process: BrokerProcess,
    port: u16,
    ws_port: u16,
    _dir: tempfile::TempDir,
}

/// Start amqtt on free ports.
pub fn start(login: bool) -> Box<dyn MatrixBroker> {
    let bin = install_dir().join("venv").join("bin");
    assert!(
        bin.join("amqtt").exists(),
        "amqtt is not installed in {}: run `bash tests/interop.sh install` (it needs Python 3.10 or \
         later with venv: `sudo apt-get install -y python3-venv`)",
        bin.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let (port, ws_port) = (free_port(), free_port());
    let auth = if login {
        let passwd = dir.path().join("passwd");
        // amqtt reads argon2 hashes, made by the library it depends on.
        let hashed = Command::new(bin.join("python"))
            .args([
                "-c",
                "import sys; from pwdlib.hashers.argon2 import Argon2Hasher; print(Argon2Hasher().hash(sys.argv[1]))",
                PASSWORD,
            ])
            .output()
            .expect("run amqtt's python");
        assert!(
            hashed.status.success(),
            "hash the password: {}",
            String::from_utf8_lossy(&hashed.stderr)
        );
        let line = format!("{USER}:{}", String::from_utf8_lossy(&hashed.stdout).trim());
        std::fs::write(&passwd, line + "\n").expect("write the password file");
        format!(
            "  amqtt.plugins.authentication.FileAuthPlugin:\n    password_file: {}\n",
            passwd.display()
        )
    } else {
        "  amqtt.plugins.authentication.AnonymousAuthPlugin:\n    allow_anonymous: true\n".to_owned()
    };
    let config = format!(
        "listeners:\n  default:\n    type: tcp\n    bind: 127.0.0.1:{port}\n  ws:\n    type: ws\n    \
         bind: 127.0.0.1:{ws_port}\nplugins:\n{auth}  amqtt.plugins.sys.broker.BrokerSysPlugin:\n    \
         sys_interval: 1\n"
    );
    let config_path = dir.path().join("broker.yaml");
    std::fs::write(&config_path, config).expect("write amqtt's configuration");
    let process = BrokerProcess::start("amqtt", (port, login), dir.path().join("amqtt.log"), move || {
        let mut command = Command::new(bin.join("amqtt"));
        command.arg("-c").arg(&config_path);
        command
    });
    Box::new(Amqtt {
        process,
        port,
        ws_port,
        _dir: dir,
    })
}

impl MatrixBroker for Amqtt {
    fn port(&self) -> u16 {
        self.port
    }

    fn ws_port(&self) -> Option<u16> {
        Some(self.ws_port)
    }

    fn stop(&mut self) {
        self.process.stop();
    }

    fn restart(&mut self) {
        self.process.restart();
    }

    fn log(&self) -> String {
        self.process.log()
    }
}
