//! What went wrong at the proxy, as kinds with their words: it could not be reached, wants a
//! login or refused it, refused to reach the broker (an HTTP status or a SOCKS5 reply), or
//! did not speak its protocol.

/// A proxy's failure; the words follow "The proxy at URL".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProxyProblem {
    /// The proxy itself could not be connected to.
    #[error("cannot be reached ({error}): is the proxy running, and are its host and port right?")]
    Unreachable {
        /// The error, in words.
        error: String,
    },
    /// The proxy took the connection but did not open the tunnel in time.
    #[error("did not open the way to the broker within {timeout_secs} s")]
    NoAnswer {
        /// The connect timeout.
        timeout_secs: u16,
    },
    /// The proxy wants a login and none was given.
    #[error("asks for a login: enter the proxy's user name and password")]
    LoginRequired,
    /// The proxy refused the login given.
    #[error("refused the login of user \"{user}\": check the proxy's user name and password")]
    LoginRefused {
        /// The user name sent.
        user: String,
    },
    /// The proxy accepts none of the login methods this client offers.
    #[error("accepts none of the login methods offered (SOCKS5: no login, user name and password)")]
    NoLoginMethod,
    /// The proxy refused to reach the broker, or could not.
    #[error("refused to reach the broker at {target}: {why}")]
    RefusedTarget {
        /// `host:port` of the broker asked for.
        target: String,
        /// The proxy's answer in words (the HTTP status, or the SOCKS5 reply and its code).
        why: String,
        /// Whether the same request would be refused again (not allowed, not supported).
        lasting: bool,
    },
    /// The other end does not speak the proxy protocol.
    #[error("did not answer as {kind} ({error}): is this the proxy's port, and the right kind of proxy?")]
    NotAProxy {
        /// "an HTTP proxy" or "a SOCKS5 proxy".
        kind: &'static str,
        /// What it answered instead, in words.
        error: String,
    },
    /// The proxy closed the connection before the tunnel was open.
    #[error("closed the connection before the way to the broker was open")]
    Closed,
    /// The connection to the proxy failed while the tunnel was being opened.
    #[error("failed while opening the way to the broker: {error}")]
    Broken {
        /// The error, in words.
        error: String,
    },
}

impl ProxyProblem {
    /// An I/O error while talking to the proxy, before the tunnel was open.
    pub fn from_io(error: &std::io::Error) -> Self {
        use std::io::ErrorKind;
        match error.kind() {
            ErrorKind::UnexpectedEof
            | ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe => Self::Closed,
            _ => Self::Broken {
                error: error.to_string(),
            },
        }
    }
}

impl ProxyProblem {
    /// Whether the same settings would fail the same way.
    pub fn lasting(&self) -> bool {
        match self {
            Self::LoginRequired | Self::LoginRefused { .. } | Self::NoLoginMethod | Self::NotAProxy { .. } => true,
            Self::RefusedTarget { lasting, .. } => *lasting,
            Self::Unreachable { .. } | Self::NoAnswer { .. } | Self::Closed | Self::Broken { .. } => false,
        }
    }
}
