//! Small proxies on loopback for tests: HTTP CONNECT and SOCKS5, each with an optional login,
//! that can refuse every destination, and that remember what they were asked to reach. Each
//! talks at most 5 s to a client before the tunnel opens; everything ends when it is dropped.

use std::io::{ErrorKind, Read, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine as _;

/// How long a client has to ask for its tunnel.
const NEGOTIATION: Duration = Duration::from_secs(5);

/// Which proxy protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// HTTP CONNECT.
    Http,
    /// SOCKS5 (RFC 1928, login by RFC 1929).
    Socks5,
}

/// What the proxy lets through.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    /// The login the proxy wants (user, password), if any.
    pub login: Option<(String, String)>,
    /// Refuse every destination (HTTP 403, SOCKS5 reply 2 "not allowed by ruleset").
    pub refuse_targets: bool,
}

struct Shared {
    rules: Rules,
    kind: Kind,
    closing: AtomicBool,
    /// Every destination asked for, as `host:port`.
    targets: Mutex<Vec<String>>,
    /// Logins seen (user names), accepted or not.
    users: Mutex<Vec<String>>,
    streams: Mutex<Vec<TcpStream>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// A proxy on a free loopback port.
pub struct TestProxy {
    port: u16,
    shared: Arc<Shared>,
}

impl TestProxy {
    /// Start a proxy of `kind` with `rules`.
    pub fn start(kind: Kind, rules: Rules) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        let port = listener.local_addr().expect("bound").port();
        listener.set_nonblocking(true).expect("nonblocking listener");
        let shared = Arc::new(Shared {
            rules,
            kind,
            closing: AtomicBool::new(false),
            targets: Mutex::default(),
            users: Mutex::default(),
            streams: Mutex::default(),
            threads: Mutex::default(),
        });
        let accept = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || accept_loop(&listener, &shared))
        };
        shared.threads.lock().expect("not poisoned").push(accept);
        Self { port, shared }
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `socks5://127.0.0.1:PORT` or `http://127.0.0.1:PORT`, with `login` when given.
    pub fn url(&self, login: Option<(&str, &str)>) -> String {
        let scheme = match self.shared.kind {
            Kind::Http => "http",
            Kind::Socks5 => "socks5",
        };
        match login {
            Some((user, password)) => format!("{scheme}://{user}:{password}@127.0.0.1:{}", self.port),
            None => format!("{scheme}://127.0.0.1:{}", self.port),
        }
    }

    /// Every destination asked for so far, as `host:port`.
    pub fn targets(&self) -> Vec<String> {
        self.shared.targets.lock().expect("not poisoned").clone()
    }

    /// Every user name a client logged in with so far.
    pub fn users(&self) -> Vec<String> {
        self.shared.users.lock().expect("not poisoned").clone()
    }
}

impl Drop for TestProxy {
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

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    while !shared.closing.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((client, _)) => {
                client.set_nonblocking(false).expect("blocking socket");
                let shared_for_thread = Arc::clone(shared);
                let thread = std::thread::spawn(move || serve(client, &shared_for_thread));
                shared.threads.lock().expect("not poisoned").push(thread);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(10)),
            Err(_) => return,
        }
    }
}

/// One client: negotiate, then relay until either side closes.
fn serve(mut client: TcpStream, shared: &Arc<Shared>) {
    client.set_read_timeout(Some(NEGOTIATION)).ok();
    let Some(mut broker) = (match shared.kind {
        Kind::Http => http(&mut client, shared),
        Kind::Socks5 => socks5(&mut client, shared),
    }) else {
        return;
    };
    client.set_read_timeout(None).ok();
    for stream in [&client, &broker] {
        if let Ok(clone) = stream.try_clone() {
            shared.streams.lock().expect("not poisoned").push(clone);
        }
    }
    let (Ok(mut client_reader), Ok(mut broker_writer)) = (client.try_clone(), broker.try_clone()) else {
        return;
    };
    let upstream = std::thread::spawn(move || {
        std::io::copy(&mut client_reader, &mut broker_writer).ok();
        broker_writer.shutdown(Shutdown::Write).ok();
    });
    std::io::copy(&mut broker, &mut client).ok();
    client.shutdown(Shutdown::Write).ok();
    upstream.join().ok();
}

/// HTTP CONNECT; the connection to the broker when the tunnel opened.
fn http(client: &mut TcpStream, shared: &Shared) -> Option<TcpStream> {
    let mut head = Vec::new();
    let mut byte = [0_u8];
    while !head.ends_with(b"\r\n\r\n") {
        client.read_exact(&mut byte).ok()?;
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.lines();
    let target = lines.next()?.strip_prefix("CONNECT ")?.split(' ').next()?.to_owned();
    shared.targets.lock().expect("not poisoned").push(target.clone());
    let authorization = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("proxy-authorization"))
        .map(|(_, value)| value.trim().to_owned());
    if let Some(token) = authorization.as_deref().and_then(|v| v.strip_prefix("Basic ")) {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(token)
            .unwrap_or_default();
        let user = String::from_utf8_lossy(&decoded)
            .split(':')
            .next()
            .unwrap_or_default()
            .to_owned();
        shared.users.lock().expect("not poisoned").push(user);
    }
    if let Some((user, password)) = &shared.rules.login {
        let expected = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        if authorization.as_deref() != Some(&format!("Basic {expected}")) {
            client
                .write_all(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n\
                      Content-Length: 0\r\n\r\n",
                )
                .ok();
            return None;
        }
    }
    if shared.rules.refuse_targets {
        client
            .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            .ok();
        return None;
    }
    match TcpStream::connect(&target) {
        Ok(broker) => {
            client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").ok()?;
            Some(broker)
        }
        Err(_) => {
            client
                .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                .ok();
            None
        }
    }
}

/// SOCKS5; the connection to the broker when the tunnel opened.
fn socks5(client: &mut TcpStream, shared: &Shared) -> Option<TcpStream> {
    let mut header = [0_u8; 2];
    client.read_exact(&mut header).ok()?;
    let mut methods = vec![0_u8; usize::from(header[1])];
    client.read_exact(&mut methods).ok()?;
    if let Some((user, password)) = &shared.rules.login {
        if !methods.contains(&2) {
            client.write_all(&[5, 0xFF]).ok();
            return None;
        }
        client.write_all(&[5, 2]).ok()?;
        let given_user = read_short(client, 1)?;
        let given_password = read_short(client, 0)?;
        shared
            .users
            .lock()
            .expect("not poisoned")
            .push(String::from_utf8_lossy(&given_user).into_owned());
        if given_user != user.as_bytes() || given_password != password.as_bytes() {
            client.write_all(&[1, 1]).ok();
            return None;
        }
        client.write_all(&[1, 0]).ok()?;
    } else {
        client.write_all(&[5, 0]).ok()?;
    }
    let mut request = [0_u8; 4];
    client.read_exact(&mut request).ok()?;
    let host = match request[3] {
        1 => {
            let mut ip = [0_u8; 4];
            client.read_exact(&mut ip).ok()?;
            std::net::Ipv4Addr::from(ip).to_string()
        }
        3 => String::from_utf8_lossy(&read_short(client, 0)?).into_owned(),
        4 => {
            let mut ip = [0_u8; 16];
            client.read_exact(&mut ip).ok()?;
            format!("[{}]", std::net::Ipv6Addr::from(ip))
        }
        _ => return None,
    };
    let mut port = [0_u8; 2];
    client.read_exact(&mut port).ok()?;
    let target = format!("{host}:{}", u16::from_be_bytes(port));
    shared.targets.lock().expect("not poisoned").push(target.clone());
    let reply = |code: u8| [5, code, 0, 1, 127, 0, 0, 1, 0, 0];
    if shared.rules.refuse_targets {
        client.write_all(&reply(2)).ok();
        return None;
    }
    match TcpStream::connect(&target) {
        Ok(broker) => {
            client.write_all(&reply(0)).ok()?;
            Some(broker)
        }
        Err(_) => {
            client.write_all(&reply(5)).ok();
            None
        }
    }
}

/// A length-prefixed field, after `skip` bytes (the login's version byte).
fn read_short(client: &mut TcpStream, skip: usize) -> Option<Vec<u8>> {
    let mut prefix = vec![0_u8; skip + 1];
    client.read_exact(&mut prefix).ok()?;
    let mut field = vec![0_u8; usize::from(*prefix.last()?)];
    client.read_exact(&mut field).ok()?;
    Some(field)
}
