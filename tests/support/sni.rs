//! A loopback forwarder in front of a broker's TLS listener that reads each client's TLS
//! ClientHello with rustls (`rustls::server::Acceptor`), records the server name it carries
//! (SNI; none for a client that sent none), and hands every byte, the ClientHello included, on
//! to the broker unchanged. Everything ends when it is dropped.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Default)]
struct Shared {
    closing: AtomicBool,
    /// The server name of each ClientHello, in order.
    names: Mutex<Vec<Option<String>>>,
    streams: Mutex<Vec<TcpStream>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// The forwarder, on a free loopback port.
pub struct SniRecorder {
    port: u16,
    shared: Arc<Shared>,
}

impl SniRecorder {
    /// A recorder in front of the TLS listener at `127.0.0.1:upstream`.
    pub fn to(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        let port = listener.local_addr().expect("bound").port();
        listener.set_nonblocking(true).expect("nonblocking listener");
        let shared = Arc::new(Shared::default());
        let accept = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                while !shared.closing.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((client, _)) => {
                            client.set_nonblocking(false).expect("blocking socket");
                            let for_thread = Arc::clone(&shared);
                            let thread = std::thread::spawn(move || serve(client, upstream, &for_thread));
                            shared.threads.lock().expect("not poisoned").push(thread);
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(10)),
                        Err(_) => return,
                    }
                }
            })
        };
        shared.threads.lock().expect("not poisoned").push(accept);
        Self { port, shared }
    }

    /// The recorder's port: connect here instead of the broker's TLS listener.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server name of every ClientHello seen so far (`None`: the client sent none).
    pub fn names(&self) -> Vec<Option<String>> {
        self.shared.names.lock().expect("not poisoned").clone()
    }
}

impl Drop for SniRecorder {
    fn drop(&mut self) {
        self.shared.closing.store(true, Ordering::SeqCst);
        for stream in self
            .shared
            .streams
            .lock()
            .map(|mut s| s.drain(..).collect::<Vec<_>>())
            .unwrap_or_default()
        {
            stream.shutdown(Shutdown::Both).ok();
        }
        let threads: Vec<_> = self
            .shared
            .threads
            .lock()
            .map(|mut t| t.drain(..).collect())
            .unwrap_or_default();
        for thread in threads {
            thread.join().ok();
        }
    }
}

fn serve(mut client: TcpStream, upstream: u16, shared: &Shared) {
    client.set_read_timeout(Some(Duration::from_secs(5))).ok();
    // Read until rustls has the whole ClientHello, keeping every byte to hand on.
    let mut acceptor = rustls::server::Acceptor::default();
    let mut seen = Vec::new();
    let mut chunk = [0_u8; 4096];
    let name = loop {
        let Ok(read) = client.read(&mut chunk) else { return };
        if read == 0 {
            return;
        }
        seen.extend_from_slice(&chunk[..read]);
        if acceptor.read_tls(&mut &chunk[..read]).is_err() {
            return;
        }
        match acceptor.accept() {
            Ok(Some(accepted)) => break accepted.client_hello().server_name().map(str::to_owned),
            Ok(None) => {}
            Err(_) => return,
        }
    };
    shared.names.lock().expect("not poisoned").push(name);
    client.set_read_timeout(None).ok();
    let Ok(mut broker) = TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    if broker.write_all(&seen).is_err() {
        return;
    }
    for stream in [&client, &broker] {
        if let Ok(clone) = stream.try_clone() {
            shared.streams.lock().expect("not poisoned").push(clone);
        }
    }
    let (Ok(mut client_reader), Ok(mut broker_writer)) = (client.try_clone(), broker.try_clone()) else {
        return;
    };
    let to_broker = std::thread::spawn(move || {
        std::io::copy(&mut client_reader, &mut broker_writer).ok();
        broker_writer.shutdown(Shutdown::Write).ok();
    });
    std::io::copy(&mut broker, &mut client).ok();
    client.shutdown(Shutdown::Write).ok();
    to_broker.join().ok();
}
