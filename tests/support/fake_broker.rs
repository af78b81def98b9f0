//! A broker that is not one: it speaks MQTT at the byte level on a free loopback port and
//! sends what a test scripts, malformed packets included. Each connection reads the client's
//! CONNECT, then runs the script; a script's connection number tells a first connection from
//! the reconnections after it. Everything ends when it is dropped.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// What a script is given: the connection, and its number (0 for the first).
pub type Script = dyn Fn(&mut TcpStream, usize) + Send + Sync;

/// A scripted fake broker.
pub struct FakeBroker {
    port: u16,
    closing: Arc<AtomicBool>,
    connections: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl FakeBroker {
    /// Start one that runs `script` for each connection, after reading its CONNECT.
    pub fn start(script: impl Fn(&mut TcpStream, usize) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        let port = listener.local_addr().expect("bound").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let closing = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicUsize::new(0));
        let script: Arc<Script> = Arc::new(script);
        let thread = {
            let (closing, connections) = (Arc::clone(&closing), Arc::clone(&connections));
            std::thread::spawn(move || {
                let mut open = Vec::new();
                while !closing.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((mut stream, _)) => {
                            let _ = stream.set_nonblocking(false);
                            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                            let number = connections.fetch_add(1, Ordering::SeqCst);
                            let script = Arc::clone(&script);
                            open.push(std::thread::spawn(move || {
                                if read_packet(&mut stream).is_some() {
                                    script(&mut stream, number);
                                }
                                // Keep the socket open a while, as a broker would, unless the
                                // client closes it.
                                let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
                                let mut sink = [0u8; 4096];
                                for _ in 0..100 {
                                    match stream.read(&mut sink) {
                                        Ok(0) => break,
                                        Ok(_) => {}
                                        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                                        Err(_) => break,
                                    }
                                }
                            }));
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(10)),
                        Err(_) => break,
                    }
                }
                for thread in open {
                    let _ = thread.join();
                }
            })
        };
        Self {
            port,
            closing,
            connections,
            thread: Some(thread),
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// How many connections it took so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FakeBroker {
    fn drop(&mut self) {
        self.closing.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Read one packet (fixed header, remaining length, body); `None` when the client closed.
pub fn read_packet(stream: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
    let mut first = [0u8; 1];
    stream.read_exact(&mut first).ok()?;
    let mut length = 0usize;
    for shift in 0..4 {
        let mut byte = [0u8; 1];
        stream.read_exact(&mut byte).ok()?;
        length |= usize::from(byte[0] & 0x7f) << (7 * shift);
        if byte[0] & 0x80 == 0 {
            break;
        }
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some((first[0], body))
}

/// Write `bytes`, ignoring a client that went away.
pub fn send(stream: &mut TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes);
    let _ = stream.flush();
}

/// The remaining-length field for `length`.
pub fn remaining_length(mut length: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let mut byte = (length % 128) as u8;
        length /= 128;
        if length > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if length == 0 {
            return out;
        }
    }
}

/// A packet of type byte `first` with `body`.
pub fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    out.extend(remaining_length(body.len()));
    out.extend_from_slice(body);
    out
}

/// An MQTT 3.1.1 CONNACK with this return code.
pub fn connack_v311(code: u8) -> Vec<u8> {
    vec![0x20, 2, 0, code]
}

/// An MQTT 5 CONNACK with this reason code and no properties.
pub fn connack_v5(reason: u8) -> Vec<u8> {
    vec![0x20, 3, 0, reason, 0]
}

/// An MQTT 3.1.1 PUBLISH at QoS 0 of `payload` on the topic of these bytes (any bytes).
pub fn publish_v311(topic: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend(
        u16::try_from(topic.len())
            .expect("a topic of at most 65,535 bytes")
            .to_be_bytes(),
    );
    body.extend_from_slice(topic);
    body.extend_from_slice(payload);
    packet(0x30, &body)
}

/// An MQTT 3.1.1 PUBLISH at QoS 1 with packet id `pkid`.
pub fn publish_qos1_v311(topic: &[u8], pkid: u16, payload: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend(u16::try_from(topic.len()).expect("a short topic").to_be_bytes());
    body.extend_from_slice(topic);
    body.extend(pkid.to_be_bytes());
    body.extend_from_slice(payload);
    packet(0x32, &body)
}
