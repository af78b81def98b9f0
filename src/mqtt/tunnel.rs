//! A loopback forwarder between rumqttc and the broker, for what rumqttc cannot do itself: go
//! through a proxy (HTTP CONNECT or SOCKS5), and send a TLS server name (SNI) other than the
//! host connected to. Used only when a proxy or a TLS server-name override is set; otherwise
//! rumqttc connects directly, as always.
//!
//! It listens on `127.0.0.1:0`. rumqttc connects there over plain TCP (plain WebSockets for
//! `ws://` and `wss://`, its `Host` header set to the broker's), once per connection attempt;
//! for each, the forwarder opens the way to the broker (`route`: directly or through the proxy,
//! then TLS with the project's rustls configuration and the chosen server name) and copies bytes
//! both ways. When the way cannot be opened, the failure (the proxy's refusal, a certificate) is
//! kept for the connection task, which reports it instead of rumqttc's "connection closed".

mod http_connect;
mod route;
mod socks5;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncWrite, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};

use self::route::{Route, Stream};
use super::failure::Failure;
use super::settings::ConnectionSettings;
use super::tls::SetupError;

/// After one side of a tunnel closed, how long the other has to finish (the broker's answer
/// to a DISCONNECT) before both are dropped, so a dead link cannot keep a tunnel open.
const LINGER: Duration = Duration::from_secs(1);

/// The size of each direction's copy buffer, in bytes.
const BUFFER_BYTES: usize = 64 * 1024;

/// A forwarder serving one connection's attempts; stops listening when dropped.
pub struct Tunnel {
    entrance: SocketAddr,
    /// Why the latest attempt could not reach the broker, until the task takes it.
    failure: Arc<Mutex<Option<Failure>>>,
    accepting: tokio::task::JoinHandle<()>,
}

impl Drop for Tunnel {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

impl Tunnel {
    /// Whether a connection with `settings` goes through a forwarder: a proxy is set, or a TLS
    /// address has a server-name override.
    pub fn wanted(settings: &ConnectionSettings) -> bool {
        settings.proxy.is_some() || (settings.address.scheme.is_tls() && settings.tls.server_name_override().is_some())
    }

    /// A forwarder for `settings` when one is wanted, listening; must be called within the
    /// tokio runtime. Fails when the TLS settings cannot be used or no loopback port is free.
    pub fn when_wanted(settings: &ConnectionSettings) -> Result<Option<Self>, SetupError> {
        if !Self::wanted(settings) {
            return Ok(None);
        }
        let route = Arc::new(Route::new(settings)?);
        let cannot_listen = |e: std::io::Error| SetupError::new(format!("No loopback port for the proxy tunnel: {e}"));
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(cannot_listen)?;
        listener.set_nonblocking(true).map_err(cannot_listen)?;
        let entrance = listener.local_addr().map_err(cannot_listen)?;
        let listener = TcpListener::from_std(listener).map_err(cannot_listen)?;
        let failure = Arc::new(Mutex::new(None));
        let accepting = tokio::spawn(accept(listener, route, failure.clone()));
        Ok(Some(Self {
            entrance,
            failure,
            accepting,
        }))
    }

    /// Where rumqttc connects.
    pub fn entrance(&self) -> SocketAddr {
        self.entrance
    }

    /// Why the latest attempt could not reach the broker, if it could not; taken once.
    pub fn take_failure(&self) -> Option<Failure> {
        self.failure.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Serve each connection rumqttc makes.
async fn accept(listener: TcpListener, route: Arc<Route>, failure: Arc<Mutex<Option<Failure>>>) {
    loop {
        let local = match listener.accept().await {
            Ok((local, _)) => local,
            Err(error) => {
                // Out of file descriptors and the like: rumqttc's attempt fails on its own.
                tracing::warn!(%error, "the proxy tunnel could not accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        local.set_nodelay(true).ok(); // A relay: what it is handed was already gathered.
        // A new attempt: an older failure is no longer its news.
        failure.lock().unwrap_or_else(PoisonError::into_inner).take();
        let route = route.clone();
        let failure = failure.clone();
        tokio::spawn(async move {
            match route.reach().await {
                Ok(upstream) => pump(local, upstream).await,
                Err(why) => {
                    tracing::debug!(%why, "the tunnel could not reach the broker");
                    // Kept before the socket closes, so the task finds it when rumqttc fails.
                    *failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(why);
                    drop(local);
                }
            }
        });
    }
}

/// Copy bytes both ways until one side closes, then give the other [`LINGER`] to finish.
async fn pump(local: TcpStream, upstream: Box<dyn Stream>) {
    let (local_read, mut local_write) = local.into_split();
    let (upstream_read, mut upstream_write) = tokio::io::split(upstream);
    let mut local_read = BufReader::with_capacity(BUFFER_BYTES, local_read);
    let mut upstream_read = BufReader::with_capacity(BUFFER_BYTES, upstream_read);
    let to_broker = copy_then_close(&mut local_read, &mut upstream_write);
    let to_client = copy_then_close(&mut upstream_read, &mut local_write);
    tokio::pin!(to_broker, to_client);
    // Whichever side ends first, the other is not waited on for long: a dead link would keep
    // it open for ever.
    tokio::select! {
        () = &mut to_broker => { tokio::time::timeout(LINGER, to_client).await.ok(); }
        () = &mut to_client => { tokio::time::timeout(LINGER, to_broker).await.ok(); }
    }
}

/// Copy until the end of `from`, then close `to`'s writing side so the end travels on.
async fn copy_then_close<R, W>(from: &mut R, to: &mut W)
where
    R: AsyncBufRead + Unpin + ?Sized,
    W: AsyncWrite + Unpin + ?Sized,
{
    if let Err(error) = tokio::io::copy_buf(from, to).await {
        tracing::debug!(%error, "a proxy tunnel's link ended");
    }
    // The other end may be gone already; nothing is left to tell it.
    to.shutdown().await.ok();
}
