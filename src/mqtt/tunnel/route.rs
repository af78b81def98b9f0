//! The way from this computer to the broker for one connection: a TCP connection to the broker
//! or to a proxy that opens the way on (HTTP CONNECT or SOCKS5), then TLS when the address asks
//! for it, with the project's rustls configuration and the chosen server name for both the SNI
//! sent and the certificate checked.

use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};
use tokio_rustls::TlsConnector;

use super::{http_connect, socks5};
use crate::mqtt::errors;
use crate::mqtt::failure::{Failure, ProxyProblem};
use crate::mqtt::settings::{ConnectionSettings, ProxyKind, ProxySettings};
use crate::mqtt::tls::{SetupError, client_config};

/// A byte stream to the broker, plain or TLS.
pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}

impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// How one connection reaches the broker.
pub struct Route {
    /// The broker as the user wrote it, for the words of a failure.
    broker: String,
    host: String,
    port: u16,
    proxy: Option<ProxySettings>,
    tls: Option<(TlsConnector, ServerName<'static>)>,
    timeout_secs: u16,
}

impl Route {
    /// The route for `settings`; fails when the TLS files or the server name cannot be used.
    pub fn new(settings: &ConnectionSettings) -> Result<Self, SetupError> {
        let address = &settings.address;
        let tls = if address.scheme.is_tls() {
            let config = client_config(&settings.tls)?;
            // The name sent as SNI and checked in the certificate: the override when set.
            let name = settings.tls.server_name_override().unwrap_or(&address.host);
            let name = ServerName::try_from(name.to_owned()).map_err(|_| {
                SetupError::new(format!(
                    "\"{name}\" is not a server name (a host name or an IP address)"
                ))
            })?;
            Some((TlsConnector::from(config), name))
        } else {
            None
        };
        Ok(Self {
            broker: address.to_string(),
            host: address.host.clone(),
            port: address.port,
            proxy: settings.proxy.clone(),
            tls,
            timeout_secs: settings.connect_timeout_secs.max(1),
        })
    }

    /// Open the way to the broker, within the connect timeout.
    pub async fn reach(&self) -> Result<Box<dyn Stream>, Failure> {
        let deadline = Instant::now() + Duration::from_secs(u64::from(self.timeout_secs));
        let tcp = match &self.proxy {
            None => self.dial_broker(deadline).await?,
            Some(proxy) => self.through(proxy, deadline).await?,
        };
        let Some((connector, name)) = &self.tls else {
            return Ok(Box::new(tcp));
        };
        match timeout_at(deadline, connector.connect(name.clone(), tcp)).await {
            Ok(Ok(tls)) => Ok(Box::new(tls)),
            Ok(Err(error)) => Err(errors::tls_handshake(&error, self.broker.clone())),
            Err(_) => Err(Failure::TlsHandshake {
                broker: self.broker.clone(),
                why: format!("the TLS handshake did not finish within {} s", self.timeout_secs),
            }),
        }
    }

    async fn dial_broker(&self, deadline: Instant) -> Result<TcpStream, Failure> {
        match timeout_at(deadline, TcpStream::connect((self.host.as_str(), self.port))).await {
            Ok(Ok(tcp)) => {
                tcp.set_nodelay(true).ok(); // A relay: what it is handed was already gathered.
                Ok(tcp)
            }
            Ok(Err(error)) => Err(errors::connect_failed(&error, self.broker.clone())),
            Err(_) => Err(Failure::ConnectTimedOut {
                broker: self.broker.clone(),
            }),
        }
    }

    /// A TCP connection to the proxy, which then opens the way to the broker.
    async fn through(&self, proxy: &ProxySettings, deadline: Instant) -> Result<TcpStream, Failure> {
        let failed = |problem| Failure::Proxy {
            proxy: proxy.to_string(),
            problem,
        };
        let no_answer = || {
            failed(ProxyProblem::NoAnswer {
                timeout_secs: self.timeout_secs,
            })
        };
        let mut tcp = match timeout_at(deadline, TcpStream::connect((proxy.host.as_str(), proxy.port))).await {
            Ok(Ok(tcp)) => tcp,
            Ok(Err(error)) => {
                return Err(failed(ProxyProblem::Unreachable {
                    error: plain_words(&error),
                }));
            }
            Err(_) => return Err(no_answer()),
        };
        tcp.set_nodelay(true).ok(); // A relay: what it is handed was already gathered.
        let target = if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        };
        let opened = match proxy.kind {
            ProxyKind::Http => timeout_at(deadline, http_connect::open(&mut tcp, &target, proxy.login())).await,
            ProxyKind::Socks5 => {
                timeout_at(deadline, socks5::open(&mut tcp, &self.host, self.port, proxy.login())).await
            }
        };
        match opened {
            Ok(Ok(())) => Ok(tcp),
            Ok(Err(problem)) => Err(failed(problem)),
            Err(_) => Err(no_answer()),
        }
    }
}

/// An I/O error as a person reads it: "connection refused", without the OS's error number.
fn plain_words(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.find(" (os error") {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_without_the_os_error_number() {
        let refused = std::io::Error::from_raw_os_error(111);
        assert_eq!(plain_words(&refused), "connection refused");
        let custom = std::io::Error::other("Name or service not known");
        assert_eq!(plain_words(&custom), "name or service not known");
    }
}
