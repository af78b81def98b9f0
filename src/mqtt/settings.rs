//! What a connection needs to know: where the broker is and how to log in.

use crate::model::Subscription;

/// Default MQTT port over TCP.
pub const DEFAULT_PORT: u16 = 1883;

/// A broker address: host and port, from `mqtt://host:port`, `host:port` or `host`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerAddress {
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
}

/// Why a broker address could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Nothing was given.
    #[error("Enter the broker's address, such as localhost:1883")]
    Empty,
    /// A scheme this version cannot connect with.
    #[error("\"{0}://\" is not supported yet: use mqtt://HOST:PORT (plain TCP)")]
    UnsupportedScheme(String),
    /// A scheme that is not MQTT at all.
    #[error("\"{0}://\" is not an MQTT address: use mqtt://HOST:PORT")]
    UnknownScheme(String),
    /// The port is not a number from 1 to 65535.
    #[error("\"{0}\" is not a port number (1 to 65535)")]
    BadPort(String),
    /// No host before the port.
    #[error("The address has no host name")]
    NoHost,
}

impl BrokerAddress {
    /// Read an address as a person types it.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AddressError::Empty);
        }
        let rest = match text.split_once("://") {
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "mqtt" | "tcp" => rest,
                "mqtts" | "ssl" | "tls" | "ws" | "wss" => {
                    return Err(AddressError::UnsupportedScheme(scheme.to_owned()));
                }
                _ => return Err(AddressError::UnknownScheme(scheme.to_owned())),
            },
            None => text,
        };
        // Drop a trailing path such as "/mqtt" (meaningless for plain TCP).
        let authority = rest.split('/').next().unwrap_or_default();
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            // [::1]:1883
            let (host, after) = bracketed.split_once(']').ok_or(AddressError::NoHost)?;
            let port = after.strip_prefix(':');
            (host, port)
        } else if authority.matches(':').count() > 1 {
            // A bare IPv6 address without a port.
            (authority, None)
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(AddressError::NoHost);
        }
        let port = match port {
            None | Some("") => DEFAULT_PORT,
            Some(port) => match port.parse::<u16>() {
                Ok(port) if port > 0 => port,
                _ => return Err(AddressError::BadPort(port.to_owned())),
            },
        };
        Ok(Self {
            host: host.to_owned(),
            port,
        })
    }
}

impl std::fmt::Display for BrokerAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Everything needed to open one connection.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectionSettings {
    /// Where the broker is.
    pub address: BrokerAddress,
    /// MQTT client identifier.
    pub client_id: String,
    /// User name, if the broker wants one.
    pub username: Option<String>,
    /// Password (or token); never printed.
    pub password: Option<String>,
    /// Filters to subscribe to on every (re)connection.
    pub subscriptions: Vec<Subscription>,
    /// Keep-alive interval in seconds.
    pub keep_alive_secs: u16,
    /// How long to wait for the broker to accept a connection, in seconds.
    pub connect_timeout_secs: u16,
}

impl std::fmt::Debug for ConnectionSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionSettings")
            .field("address", &self.address)
            .field("client_id", &self.client_id)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("subscriptions", &self.subscriptions)
            .field("keep_alive_secs", &self.keep_alive_secs)
            .field("connect_timeout_secs", &self.connect_timeout_secs)
            .finish()
    }
}

impl ConnectionSettings {
    /// Settings for `address` with a random client id, no login, and the default subscriptions.
    pub fn new(address: BrokerAddress) -> Self {
        Self {
            address,
            client_id: random_client_id(),
            username: None,
            password: None,
            subscriptions: Subscription::defaults(),
            keep_alive_secs: 30,
            connect_timeout_secs: 5,
        }
    }
}

/// A fresh client id: `mqscope-` and six random lowercase letters and digits.
pub fn random_client_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let suffix: String = (0..6)
        .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
        .collect();
    format!("mqscope-{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(String, u16), AddressError> {
        BrokerAddress::parse(text).map(|a| (a.host, a.port))
    }

    #[test]
    fn reads_addresses_as_people_type_them() {
        assert_eq!(parse("localhost"), Ok(("localhost".into(), 1883)));
        assert_eq!(parse(" localhost:1884 "), Ok(("localhost".into(), 1884)));
        assert_eq!(parse("mqtt://10.0.0.2:1883"), Ok(("10.0.0.2".into(), 1883)));
        assert_eq!(parse("MQTT://broker.lan"), Ok(("broker.lan".into(), 1883)));
        assert_eq!(parse("tcp://broker.lan:1999/"), Ok(("broker.lan".into(), 1999)));
        assert_eq!(parse("[::1]:1885"), Ok(("::1".into(), 1885)));
        assert_eq!(parse("::1"), Ok(("::1".into(), 1883)));
    }

    #[test]
    fn explains_addresses_it_cannot_use() {
        assert_eq!(parse(""), Err(AddressError::Empty));
        assert_eq!(parse("host:99999"), Err(AddressError::BadPort("99999".into())));
        assert_eq!(parse("host:0"), Err(AddressError::BadPort("0".into())));
        assert_eq!(parse(":1883"), Err(AddressError::NoHost));
        assert_eq!(parse("http://x"), Err(AddressError::UnknownScheme("http".into())));
        assert!(matches!(parse("wss://x"), Err(AddressError::UnsupportedScheme(_))));
    }

    #[test]
    fn client_ids_are_random_and_well_formed() {
        let a = random_client_id();
        assert!(a.starts_with("mqscope-") && a.len() == 14);
        assert_ne!(a, random_client_id());
    }

    #[test]
    fn debug_output_hides_the_password() {
        let mut settings = ConnectionSettings::new(BrokerAddress::parse("x").expect("valid"));
        settings.password = Some("hunter2".into());
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
