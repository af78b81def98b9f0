//! HTTP CONNECT (RFC 9110, 9.3.6): an HTTP proxy is asked for a tunnel to the broker's
//! `host:port`, with a Basic login when one is given, and answers with a status line.

use base64::Engine as _;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};

use crate::mqtt::failure::ProxyProblem;

/// The longest response head read from the proxy.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// What an HTTP proxy is called in the words of a failure.
const KIND: &str = "an HTTP proxy";

/// Ask the proxy on `stream` for a tunnel to `target` (`host:port`, IPv6 in brackets). On
/// success the stream carries the broker's bytes from here on.
pub async fn open<S>(stream: &mut S, target: &str, login: Option<(&str, &str)>) -> Result<(), ProxyProblem>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    stream
        .write_all(request(target, login).as_bytes())
        .await
        .map_err(|e| ProxyProblem::from_io(&e))?;
    stream.flush().await.map_err(|e| ProxyProblem::from_io(&e))?;
    let head = read_head(stream).await?;
    let (code, reason) = status(&head)?;
    answer(code, reason, target, login)
}

/// The CONNECT request.
fn request(target: &str, login: Option<(&str, &str)>) -> String {
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some((user, password)) = login {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        request.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    request
}

/// The response head, up to and without the empty line. Read a byte at a time so not one
/// byte of the broker's that may follow is taken.
async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> Result<String, ProxyProblem> {
    let mut head = Vec::with_capacity(256);
    while !head.ends_with(b"\r\n\r\n") && !head.ends_with(b"\n\n") {
        if head.len() >= MAX_HEAD_BYTES {
            return Err(ProxyProblem::NotAProxy {
                kind: KIND,
                error: format!("its answer's head is longer than {} KiB", MAX_HEAD_BYTES / 1024),
            });
        }
        let byte = stream.read_u8().await.map_err(|e| ProxyProblem::from_io(&e))?;
        head.push(byte);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// The status code and reason phrase of a response head.
fn status(head: &str) -> Result<(u16, &str), ProxyProblem> {
    let line = head.lines().next().unwrap_or_default().trim();
    let not_http = || ProxyProblem::NotAProxy {
        kind: KIND,
        error: format!("it answered \"{}\"", line.chars().take(60).collect::<String>()),
    };
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/") {
        return Err(not_http());
    }
    let code = parts
        .next()
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(not_http)?;
    Ok((code, parts.next().unwrap_or_default().trim()))
}

/// What the status means for the tunnel.
fn answer(code: u16, reason: &str, target: &str, login: Option<(&str, &str)>) -> Result<(), ProxyProblem> {
    if (200..300).contains(&code) {
        return Ok(());
    }
    if code == 407 {
        return Err(match login {
            Some((user, _)) => ProxyProblem::LoginRefused { user: user.to_owned() },
            None => ProxyProblem::LoginRequired,
        });
    }
    let meaning = match code {
        400 => "the proxy did not take the request",
        403 => "the proxy does not allow this destination",
        404 => "the proxy does not know the broker's host",
        405 => "the proxy does not open tunnels (CONNECT)",
        502 => "the proxy could not connect to the broker",
        503 => "the proxy cannot reach the broker now",
        504 => "the broker did not answer the proxy in time",
        _ => "",
    };
    let status = if reason.is_empty() {
        format!("HTTP {code}")
    } else {
        format!("HTTP {code} {reason}")
    };
    Err(ProxyProblem::RefusedTarget {
        target: target.to_owned(),
        why: if meaning.is_empty() {
            status
        } else {
            format!("{status} ({meaning})")
        },
        lasting: matches!(code, 400 | 403 | 405),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_carries_the_target_and_a_basic_login() {
        let plain = request("broker.lan:8883", None);
        assert_eq!(
            plain,
            "CONNECT broker.lan:8883 HTTP/1.1\r\nHost: broker.lan:8883\r\n\r\n"
        );
        let with_login = request("[::1]:1883", Some(("Aladdin", "open sesame")));
        assert!(with_login.starts_with("CONNECT [::1]:1883 HTTP/1.1\r\n"));
        assert!(with_login.contains("Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"));
    }

    #[test]
    fn statuses_become_what_the_proxy_did() {
        assert_eq!(
            status("HTTP/1.1 200 Connection established\r\n\r\n"),
            Ok((200, "Connection established"))
        );
        assert_eq!(answer(200, "OK", "b:1", None), Ok(()));
        assert_eq!(answer(407, "", "b:1", None), Err(ProxyProblem::LoginRequired));
        assert_eq!(
            answer(407, "", "b:1", Some(("bob", "x"))),
            Err(ProxyProblem::LoginRefused { user: "bob".into() })
        );
        let Err(ProxyProblem::RefusedTarget { why, lasting, .. }) = answer(403, "Forbidden", "b:1", None) else {
            panic!("403 refuses the target");
        };
        assert_eq!(why, "HTTP 403 Forbidden (the proxy does not allow this destination)");
        assert!(lasting);
        let Err(ProxyProblem::RefusedTarget { lasting, .. }) = answer(502, "Bad Gateway", "b:1", None) else {
            panic!("502 refuses the target");
        };
        assert!(!lasting, "a broker that is down may come back");
        assert!(matches!(
            status("SSH-2.0-OpenSSH\r\n\r\n"),
            Err(ProxyProblem::NotAProxy { .. })
        ));
    }

    #[tokio::test]
    async fn a_proxy_that_closes_before_answering_is_said_so() {
        let (mut client, mut proxy) = tokio::io::duplex(1024);
        let server = tokio::spawn(async move {
            let mut asked = vec![0_u8; request("b:1", None).len()];
            proxy.read_exact(&mut asked).await.ok();
        });
        assert_eq!(open(&mut client, "b:1", None).await, Err(ProxyProblem::Closed));
        drop(client);
        server.await.ok();
    }
}
