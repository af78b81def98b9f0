//! A proxy between this computer and the broker: HTTP CONNECT or SOCKS5, with an optional
//! login, read from `socks5://[user:pass@]host:port` or `http://[user:pass@]host:port`.

/// Which kind of proxy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProxyKind {
    /// An HTTP proxy that opens tunnels with `CONNECT host:port`.
    #[default]
    Http,
    /// A SOCKS5 proxy (RFC 1928), with a user name and password login (RFC 1929) when given.
    Socks5,
}

impl ProxyKind {
    /// Both kinds, in the order a menu shows them.
    pub const ALL: [Self; 2] = [Self::Http, Self::Socks5];

    /// The URL scheme, without `://`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Socks5 => "socks5",
        }
    }

    /// As a menu shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Http => "HTTP",
            Self::Socks5 => "SOCKS5",
        }
    }

    /// The port such proxies usually listen on.
    pub fn default_port(self) -> u16 {
        match self {
            Self::Http => 3128,
            Self::Socks5 => 1080,
        }
    }
}

/// A proxy to reach the broker through.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxySettings {
    /// HTTP CONNECT or SOCKS5.
    pub kind: ProxyKind,
    /// The proxy's host name or IP address (IPv6 without brackets).
    pub host: String,
    /// The proxy's port.
    pub port: u16,
    /// User name for the proxy, if it wants a login.
    pub username: Option<String>,
    /// The proxy's password; never printed.
    pub password: Option<String>,
}

impl std::fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxySettings")
            .field("kind", &self.kind)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

/// Why a proxy address could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProxyAddressError {
    /// Not `http://` or `socks5://`.
    #[error("\"{0}\" is not a proxy address: use socks5://host:port or http://host:port")]
    UnknownScheme(String),
    /// No host.
    #[error("The proxy address has no host name")]
    NoHost,
    /// Characters a host name cannot hold.
    #[error("\"{0}\" is not a host name")]
    BadHost(String),
    /// The port is not a number from 1 to 65535.
    #[error("\"{0}\" is not a port number (1 to 65535)")]
    BadPort(String),
    /// SOCKS5 carries a user name, a password and a host name of at most 255 bytes each.
    #[error("The proxy's {0} is longer than SOCKS5 allows (255 bytes)")]
    TooLong(&'static str),
}

impl ProxySettings {
    /// Read `socks5://[user:pass@]host:port` or `http://[user:pass@]host:port` (`socks5h://`
    /// is taken as `socks5://`: the broker's name is always resolved by the proxy). The port
    /// defaults to 1080 for SOCKS5 and 3128 for HTTP; `%XX` escapes in the login are decoded.
    pub fn parse(text: &str) -> Result<Self, ProxyAddressError> {
        let text = text.trim();
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| ProxyAddressError::UnknownScheme(text.to_owned()))?;
        let kind = match scheme.to_ascii_lowercase().as_str() {
            "http" => ProxyKind::Http,
            "socks5" | "socks5h" => ProxyKind::Socks5,
            other => return Err(ProxyAddressError::UnknownScheme(format!("{other}://"))),
        };
        let rest = rest.trim_end_matches('/');
        let (login, authority) = match rest.rsplit_once('@') {
            Some((login, authority)) => (Some(login), authority),
            None => (None, rest),
        };
        let (username, password) = match login {
            None => (None, None),
            Some(login) => match login.split_once(':') {
                Some((user, pass)) => (Some(percent_decoded(user)), Some(percent_decoded(pass))),
                None => (Some(percent_decoded(login)), None),
            },
        };
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            let (host, after) = bracketed.split_once(']').ok_or(ProxyAddressError::NoHost)?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        let port = match port {
            None | Some("") => kind.default_port(),
            Some(port) => match port.parse::<u16>() {
                Ok(port) if port > 0 => port,
                _ => return Err(ProxyAddressError::BadPort(port.to_owned())),
            },
        };
        let settings = Self {
            kind,
            host: host.to_owned(),
            port,
            username: username.filter(|u| !u.is_empty()),
            password,
        };
        settings.check()?;
        Ok(settings)
    }

    /// Whether the settings can be used: a host, and within SOCKS5's lengths.
    pub fn check(&self) -> Result<(), ProxyAddressError> {
        if self.host.is_empty() {
            return Err(ProxyAddressError::NoHost);
        }
        if self.host.chars().any(|c| c.is_whitespace() || "@?#/\\".contains(c)) {
            return Err(ProxyAddressError::BadHost(self.host.clone()));
        }
        if self.port == 0 {
            return Err(ProxyAddressError::BadPort("0".to_owned()));
        }
        if self.kind == ProxyKind::Socks5 {
            if self.username.as_ref().is_some_and(|u| u.len() > 255) {
                return Err(ProxyAddressError::TooLong("user name"));
            }
            if self.password.as_ref().is_some_and(|p| p.len() > 255) {
                return Err(ProxyAddressError::TooLong("password"));
            }
            if self.host.len() > 255 {
                return Err(ProxyAddressError::TooLong("host name"));
            }
        }
        Ok(())
    }

    /// The login to send: a user name and its password (empty when none is given).
    pub fn login(&self) -> Option<(&str, &str)> {
        self.username
            .as_deref()
            .map(|user| (user, self.password.as_deref().unwrap_or_default()))
    }

    /// `host:port` (IPv6 in brackets).
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// `socks5://host:port` or `http://host:port`, without the login.
impl std::fmt::Display for ProxySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}", self.kind.as_str(), self.authority())
    }
}

/// `text` with `%XX` escapes decoded (a login may hold `@` or `:` written so); an escape that
/// does not decode stays as written.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proxy_addresses_with_and_without_a_login() {
        let socks = ProxySettings::parse("socks5://bob:s%40cret@proxy.lan:1081").expect("valid");
        assert_eq!(socks.kind, ProxyKind::Socks5);
        assert_eq!(socks.host, "proxy.lan");
        assert_eq!(socks.port, 1081);
        assert_eq!(socks.login(), Some(("bob", "s@cret")));
        assert_eq!(socks.to_string(), "socks5://proxy.lan:1081");

        let http = ProxySettings::parse("HTTP://[::1]").expect("valid");
        assert_eq!(
            (http.kind, http.host.as_str(), http.port),
            (ProxyKind::Http, "::1", 3128)
        );
        assert_eq!(http.login(), None);
        assert_eq!(http.to_string(), "http://[::1]:3128");
    }

    #[test]
    fn a_bad_proxy_address_says_what_is_wrong() {
        assert!(matches!(
            ProxySettings::parse("ftp://x:1"),
            Err(ProxyAddressError::UnknownScheme(_))
        ));
        assert!(matches!(
            ProxySettings::parse("proxy.lan:1080"),
            Err(ProxyAddressError::UnknownScheme(_))
        ));
        assert_eq!(
            ProxySettings::parse("socks5://x:99999"),
            Err(ProxyAddressError::BadPort("99999".into()))
        );
        assert_eq!(ProxySettings::parse("http://:80"), Err(ProxyAddressError::NoHost));
        let long = format!("socks5://{}:pw@x:1", "u".repeat(256));
        assert_eq!(
            ProxySettings::parse(&long),
            Err(ProxyAddressError::TooLong("user name"))
        );
    }

    #[test]
    fn debug_output_hides_the_proxy_password() {
        let proxy = ProxySettings::parse("http://bob:hunter2@x:1").expect("valid");
        assert!(!format!("{proxy:?}").contains("hunter2"));
    }
}
