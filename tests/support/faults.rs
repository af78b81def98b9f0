//! A TCP proxy on loopback that misbehaves on demand, between mqscope and a test broker: it
//! stalls (keeps both sockets open and forwards nothing, as a Wi-Fi link or a VPN that stops
//! passing packets), cuts every connection through it, refuses new ones, or hands bytes on one
//! at a time.
//! Everything it starts ends when it is dropped.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the proxy's threads look at what they are asked to do.
const TICK: Duration = Duration::from_millis(10);

#[derive(Default)]
struct Switches {
    /// Forward nothing, read nothing: the connection looks alive and says nothing.
    stalled: AtomicBool,
    /// Write what is read one byte at a time.
    one_byte_at_a_time: AtomicBool,
    /// Close new connections at once, as a link that is down.
    refusing: AtomicBool,
    /// Stop every thread.
    closing: AtomicBool,
    /// Bytes handed on from the broker to the client so far.
    to_client: AtomicU64,
}

/// A proxy from a free loopback port to a broker's port.
pub struct FaultyLink {
    port: u16,
    switches: Arc<Switches>,
    /// Both ends of every connection made through the proxy, to cut them.
    streams: Arc<Mutex<Vec<TcpStream>>>,
    threads: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl FaultyLink {
    /// A proxy to the broker at `127.0.0.1:upstream`.
    pub fn to(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        let port = listener.local_addr().expect("bound").port();
        listener.set_nonblocking(true).expect("nonblocking listener");
        let switches = Arc::new(Switches::default());
        let streams: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let threads: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let accept = {
            let (switches, streams, threads) = (Arc::clone(&switches), Arc::clone(&streams), Arc::clone(&threads));
            std::thread::spawn(move || accept_loop(&listener, upstream, &switches, &streams, &threads))
        };
        threads.lock().expect("not poisoned").push(accept);
        Self {
            port,
            switches,
            streams,
            threads,
        }
    }

    /// The proxy's port: connect here instead of the broker.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Forward nothing from now on, in either direction, keeping the connections open.
    pub fn stall(&self) {
        self.switches.stalled.store(true, Ordering::SeqCst);
    }

    /// Forward again.
    pub fn resume(&self) {
        self.switches.stalled.store(false, Ordering::SeqCst);
    }

    /// Close new connections as soon as they are made (the link is down), or take them again.
    pub fn refuse(&self, on: bool) {
        self.switches.refusing.store(on, Ordering::SeqCst);
    }

    /// Hand bytes on one at a time (every packet split into one-byte reads), or not.
    pub fn one_byte_at_a_time(&self, on: bool) {
        self.switches.one_byte_at_a_time.store(on, Ordering::SeqCst);
    }

    /// Bytes handed on from the broker to the client so far, over every connection.
    pub fn bytes_to_client(&self) -> u64 {
        self.switches.to_client.load(Ordering::SeqCst)
    }

    /// Close every connection through the proxy at once, wherever its packets are.
    pub fn cut(&self) {
        for stream in self.streams.lock().expect("not poisoned").drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for FaultyLink {
    fn drop(&mut self) {
        self.switches.closing.store(true, Ordering::SeqCst);
        self.cut();
        let threads: Vec<_> = self
            .threads
            .lock()
            .map(|mut t| t.drain(..).collect())
            .unwrap_or_default();
        for thread in threads {
            let _ = thread.join();
        }
    }
}

fn accept_loop(
    listener: &TcpListener,
    upstream: u16,
    switches: &Arc<Switches>,
    streams: &Arc<Mutex<Vec<TcpStream>>>,
    threads: &Arc<Mutex<Vec<JoinHandle<()>>>>,
) {
    while !switches.closing.load(Ordering::SeqCst) {
        let client = match listener.accept() {
            Ok((client, _)) => client,
            Err(error) if error.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(TICK);
                continue;
            }
            Err(_) => return,
        };
        if switches.refusing.load(Ordering::SeqCst) {
            let _ = client.shutdown(Shutdown::Both);
            continue;
        }
        let Ok(broker) = TcpStream::connect(("127.0.0.1", upstream)) else {
            let _ = client.shutdown(Shutdown::Both);
            continue;
        };
        let _ = client.set_nonblocking(false);
        for stream in [&client, &broker] {
            let _ = stream.set_nodelay(true);
            let _ = stream.set_read_timeout(Some(TICK));
        }
        let (Ok(client_copy), Ok(broker_copy), Ok(client_kept), Ok(broker_kept)) = (
            client.try_clone(),
            broker.try_clone(),
            client.try_clone(),
            broker.try_clone(),
        ) else {
            continue;
        };
        streams.lock().expect("not poisoned").extend([client_kept, broker_kept]);
        let up = {
            let switches = Arc::clone(switches);
            std::thread::spawn(move || pump(client, broker_copy, &switches, None))
        };
        let down = {
            let switches = Arc::clone(switches);
            std::thread::spawn(move || pump(broker, client_copy, &switches, Some(&switches.to_client)))
        };
        threads.lock().expect("not poisoned").extend([up, down]);
    }
}

/// Copy from `from` to `to` as the switches say, until either side closes, counting what was
/// handed on in `count`.
fn pump(mut from: TcpStream, mut to: TcpStream, switches: &Switches, count: Option<&AtomicU64>) {
    let mut buffer = vec![0u8; 64 * 1024];
    while !switches.closing.load(Ordering::SeqCst) {
        if switches.stalled.load(Ordering::SeqCst) {
            std::thread::sleep(TICK);
            continue;
        }
        let read = match from.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(_) => break,
        };
        let written = if switches.one_byte_at_a_time.load(Ordering::SeqCst) {
            buffer[..read].chunks(1).try_for_each(|byte| {
                to.write_all(byte)?;
                count.inspect(|c| _ = c.fetch_add(1, Ordering::SeqCst));
                Ok::<(), std::io::Error>(())
            })
        } else {
            to.write_all(&buffer[..read]).inspect(|()| {
                count.inspect(|c| _ = c.fetch_add(read as u64, Ordering::SeqCst));
            })
        };
        if written.is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}
