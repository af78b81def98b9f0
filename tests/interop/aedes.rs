//! aedes, the Node.js broker, from the npm install tests/interop.sh keeps under
//! `target/interop/node`: a small server script written to a temp dir and started with `node`.
//! MQTT 3.1.1 on TCP and WebSockets; no MQTT 5.

use std::path::Path;
use std::process::Command;

use super::brokers::{MatrixBroker, PASSWORD, USER};
use super::process::{BrokerProcess, install_dir};
use crate::support::free_port;

/// The server: aedes on a TCP port and, through `ws`, on a WebSockets port; a login when
/// `MQSCOPE_USER` is set (a wrong one is refused with CONNACK 4, bad user name or password).
const SERVER: &str = r#"
import { createServer } from 'node:net'
import { Aedes } from 'aedes'
import { WebSocketServer, createWebSocketStream } from 'ws'

const [tcpPort, wsPort] = process.argv.slice(2).map(Number)
const user = process.env.MQSCOPE_USER
const password = process.env.MQSCOPE_PASSWORD
const aedes = await Aedes.createBroker({ heartbeatInterval: 1000 })
if (user) {
  aedes.authenticate = (client, username, given, callback) => {
    if (username === user && given && given.toString() === password) return callback(null, true)
    const error = new Error('bad user name or password')
    error.returnCode = 4
    callback(error, false)
  }
}
createServer(aedes.handle).listen(tcpPort, '127.0.0.1')
const wss = new WebSocketServer({ host: '127.0.0.1', port: wsPort })
wss.on('connection', (socket) => aedes.handle(createWebSocketStream(socket)))
"#;

/// An aedes process.
pub struct Aedes {
    process: BrokerProcess,
    port: u16,
    ws_port: u16,
    _dir: tempfile::TempDir,
}

/// Start aedes on free ports.
pub fn start(login: bool) -> Box<dyn MatrixBroker> {
    let modules = install_dir().join("node").join("node_modules");
    assert!(
        modules.join("aedes").join("package.json").exists() && modules.join("ws").exists(),
        "aedes is not installed in {}: run `bash tests/interop.sh install` (it needs Node.js and npm: \
         `sudo apt-get install -y nodejs npm`)",
        modules.display()
    );
    let node_works = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(node_works, "`node` is not installed: `sudo apt-get install -y nodejs`");
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("server.mjs");
    std::fs::write(&script, SERVER).expect("write the aedes server");
    // An ES module finds its imports in a node_modules beside it (NODE_PATH is not read).
    std::os::unix::fs::symlink(&modules, dir.path().join("node_modules")).expect("link node_modules");
    let (port, ws_port) = (free_port(), free_port());
    let process = BrokerProcess::start("aedes", (port, login), dir.path().join("aedes.log"), move || {
        command(&script, port, ws_port, login)
    });
    Box::new(Aedes {
        process,
        port,
        ws_port,
        _dir: dir,
    })
}

fn command(script: &Path, port: u16, ws_port: u16, login: bool) -> Command {
    let mut command = Command::new("node");
    command.arg(script).arg(port.to_string()).arg(ws_port.to_string());
    if login {
        command.env("MQSCOPE_USER", USER).env("MQSCOPE_PASSWORD", PASSWORD);
    }
    command
}

impl MatrixBroker for Aedes {
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
