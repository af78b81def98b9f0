//! SOCKS5 (RFC 1928) with the user name and password login of RFC 1929: the proxy is asked to
//! connect to the broker by name (it resolves it), and its reply code is said in words.

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};

use crate::mqtt::failure::ProxyProblem;

/// What a SOCKS5 proxy is called in the words of a failure.
const KIND: &str = "a SOCKS5 proxy";

const VERSION: u8 = 5;
const NO_LOGIN: u8 = 0;
const USER_PASSWORD: u8 = 2;
const NO_ACCEPTABLE_METHOD: u8 = 0xFF;
const CONNECT: u8 = 1;
const IPV4: u8 = 1;
const DOMAIN: u8 = 3;
const IPV6: u8 = 4;

/// Ask the SOCKS5 proxy on `stream` to connect to `host`:`port`. On success the stream carries
/// the broker's bytes from here on.
pub async fn open<S>(stream: &mut S, host: &str, port: u16, login: Option<(&str, &str)>) -> Result<(), ProxyProblem>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let io = |e: std::io::Error| ProxyProblem::from_io(&e);
    let greeting: &[u8] = if login.is_some() {
        &[VERSION, 2, NO_LOGIN, USER_PASSWORD]
    } else {
        &[VERSION, 1, NO_LOGIN]
    };
    stream.write_all(greeting).await.map_err(io)?;
    let mut chosen = [0_u8; 2];
    stream.read_exact(&mut chosen).await.map_err(io)?;
    if chosen[0] != VERSION {
        return Err(not_socks5(format!("its greeting starts with byte {}", chosen[0])));
    }
    match (chosen[1], login) {
        (NO_LOGIN, _) => {}
        (USER_PASSWORD, Some((user, password))) => log_in(stream, user, password).await?,
        (NO_ACCEPTABLE_METHOD, None) => return Err(ProxyProblem::LoginRequired),
        (NO_ACCEPTABLE_METHOD, Some(_)) => return Err(ProxyProblem::NoLoginMethod),
        (other, _) => {
            return Err(not_socks5(format!(
                "it chose login method {other}, which was not offered"
            )));
        }
    }
    stream.write_all(&connect_request(host, port)?).await.map_err(io)?;
    let mut reply = [0_u8; 4];
    stream.read_exact(&mut reply).await.map_err(io)?;
    if reply[0] != VERSION {
        return Err(not_socks5(format!("its reply starts with byte {}", reply[0])));
    }
    if reply[1] != 0 {
        let target = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        return Err(ProxyProblem::RefusedTarget {
            target,
            why: format!("{} (SOCKS5 reply {})", reply_words(reply[1]), reply[1]),
            lasting: matches!(reply[1], 2 | 7 | 8),
        });
    }
    // The address the proxy connected from, which this client has no use for.
    let bound_len = match reply[3] {
        IPV4 => 4,
        IPV6 => 16,
        DOMAIN => usize::from(stream.read_u8().await.map_err(io)?),
        other => return Err(not_socks5(format!("its reply has address type {other}"))),
    };
    let mut bound = vec![0_u8; bound_len + 2];
    stream.read_exact(&mut bound).await.map_err(io)?;
    Ok(())
}

/// The user name and password login (RFC 1929).
async fn log_in<S>(stream: &mut S, user: &str, password: &str) -> Result<(), ProxyProblem>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let too_long = |what: &str| ProxyProblem::Broken {
        error: format!("the {what} is longer than SOCKS5 allows (255 bytes)"),
    };
    let user_len = u8::try_from(user.len()).map_err(|_| too_long("user name"))?;
    let password_len = u8::try_from(password.len()).map_err(|_| too_long("password"))?;
    let mut request = Vec::with_capacity(3 + user.len() + password.len());
    request.extend_from_slice(&[1, user_len]);
    request.extend_from_slice(user.as_bytes());
    request.push(password_len);
    request.extend_from_slice(password.as_bytes());
    stream
        .write_all(&request)
        .await
        .map_err(|e| ProxyProblem::from_io(&e))?;
    let mut status = [0_u8; 2];
    stream
        .read_exact(&mut status)
        .await
        .map_err(|e| match ProxyProblem::from_io(&e) {
            // Some proxies close the connection at a wrong login instead of answering.
            ProxyProblem::Closed => ProxyProblem::LoginRefused { user: user.to_owned() },
            other => other,
        })?;
    if status[1] != 0 {
        return Err(ProxyProblem::LoginRefused { user: user.to_owned() });
    }
    Ok(())
}

/// CONNECT to `host`:`port`: an IP address as one, a name for the proxy to resolve.
fn connect_request(host: &str, port: u16) -> Result<Vec<u8>, ProxyProblem> {
    let mut request = vec![VERSION, CONNECT, 0];
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => {
            request.push(IPV4);
            request.extend_from_slice(&ip.octets());
        }
        Ok(std::net::IpAddr::V6(ip)) => {
            request.push(IPV6);
            request.extend_from_slice(&ip.octets());
        }
        Err(_) => {
            let len = u8::try_from(host.len()).map_err(|_| ProxyProblem::Broken {
                error: "the broker's host name is longer than SOCKS5 allows (255 bytes)".to_owned(),
            })?;
            request.push(DOMAIN);
            request.push(len);
            request.extend_from_slice(host.as_bytes());
        }
    }
    request.extend_from_slice(&port.to_be_bytes());
    Ok(request)
}

/// A SOCKS5 reply code in words (RFC 1928, 6).
pub fn reply_words(code: u8) -> &'static str {
    match code {
        0 => "succeeded",
        1 => "general SOCKS server failure",
        2 => "connection not allowed by ruleset",
        3 => "network unreachable",
        4 => "host unreachable",
        5 => "connection refused by the broker's host",
        6 => "TTL expired",
        7 => "command not supported",
        8 => "address type not supported",
        _ => "unknown reply",
    }
}

fn not_socks5(error: String) -> ProxyProblem {
    ProxyProblem::NotAProxy { kind: KIND, error }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_go_to_the_proxy_to_resolve_and_addresses_as_addresses() {
        assert_eq!(
            connect_request("broker.lan", 1883).ok(),
            Some([&[5, 1, 0, 3, 10][..], b"broker.lan", &[7, 91]].concat())
        );
        assert_eq!(
            connect_request("127.0.0.1", 8883).ok(),
            Some(vec![5, 1, 0, 1, 127, 0, 0, 1, 0x22, 0xB3])
        );
        assert_eq!(connect_request("::1", 1).ok().map(|r| (r[3], r.len())), Some((4, 22)));
    }

    #[test]
    fn reply_codes_are_said_in_words() {
        assert_eq!(reply_words(2), "connection not allowed by ruleset");
        assert_eq!(reply_words(4), "host unreachable");
        assert_eq!(reply_words(5), "connection refused by the broker's host");
        assert_eq!(reply_words(42), "unknown reply");
    }

    /// A proxy that answers the greeting with `method`, then with `reply` to CONNECT.
    async fn scripted(
        method: u8,
        login_status: Option<u8>,
        reply: u8,
        login: Option<(&str, &str)>,
    ) -> Result<(), ProxyProblem> {
        let (mut client, mut proxy) = tokio::io::duplex(1024);
        let greeting_len = if login.is_some() { 4 } else { 3 };
        let login_len = login.map_or(0, |(user, password)| 3 + user.len() + password.len());
        let server = tokio::spawn(async move {
            let mut greeting = vec![0_u8; greeting_len];
            proxy.read_exact(&mut greeting).await.ok();
            proxy.write_all(&[5, method]).await.ok();
            if let Some(status) = login_status {
                let mut login = vec![0_u8; login_len];
                proxy.read_exact(&mut login).await.ok();
                proxy.write_all(&[1, status]).await.ok();
            }
            let mut connect = vec![0_u8; 7 + "broker.lan".len()];
            proxy.read_exact(&mut connect).await.ok();
            proxy.write_all(&[5, reply, 0, 1, 127, 0, 0, 1, 0, 1]).await.ok();
        });
        let outcome = open(&mut client, "broker.lan", 1883, login).await;
        // A refusal ends the talk early: the proxy's side sees the end instead of waiting.
        drop(client);
        server.await.ok();
        outcome
    }

    #[tokio::test]
    async fn a_scripted_proxy_gives_each_outcome() {
        assert_eq!(scripted(0, None, 0, None).await, Ok(()));
        assert_eq!(scripted(2, Some(0), 0, Some(("bob", "pw"))).await, Ok(()));
        assert_eq!(
            scripted(2, Some(1), 0, Some(("bob", "pw"))).await,
            Err(ProxyProblem::LoginRefused { user: "bob".into() })
        );
        assert_eq!(scripted(0xFF, None, 0, None).await, Err(ProxyProblem::LoginRequired));
        let Err(ProxyProblem::RefusedTarget { why, lasting, target }) = scripted(0, None, 2, None).await else {
            panic!("reply 2 refuses the target");
        };
        assert_eq!(target, "broker.lan:1883");
        assert_eq!(why, "connection not allowed by ruleset (SOCKS5 reply 2)");
        assert!(lasting);
    }
}
