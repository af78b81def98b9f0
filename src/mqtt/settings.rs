//! What a connection needs to know: where the broker is and how to log in.

use std::path::PathBuf;

use crate::model::{Qos, Subscription};

mod proxy;

pub use proxy::{ProxyAddressError, ProxyKind, ProxySettings};

/// Keep-alive interval of a new connection, in seconds.
pub const DEFAULT_KEEP_ALIVE_SECS: u16 = 30;
/// How long a new connection waits for the broker, in seconds.
pub const DEFAULT_CONNECT_TIMEOUT_SECS: u16 = 5;

/// Default MQTT port over TCP.
pub const DEFAULT_PORT: u16 = 1883;

/// How the connection is carried.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// MQTT over plain TCP (`mqtt://`).
    #[default]
    Mqtt,
    /// MQTT over TLS (`mqtts://`).
    Mqtts,
    /// MQTT over WebSockets (`ws://`).
    Ws,
    /// MQTT over WebSockets over TLS (`wss://`).
    Wss,
}

impl Scheme {
    /// Every scheme, in the order a menu shows them.
    pub const ALL: [Self; 4] = [Self::Mqtt, Self::Mqtts, Self::Ws, Self::Wss];

    /// The URL scheme, without `://`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mqtt => "mqtt",
            Self::Mqtts => "mqtts",
            Self::Ws => "ws",
            Self::Wss => "wss",
        }
    }

    /// The port brokers usually listen on for this scheme.
    pub fn default_port(self) -> u16 {
        match self {
            Self::Mqtt => DEFAULT_PORT,
            Self::Mqtts => 8883,
            Self::Ws => 80,
            Self::Wss => 443,
        }
    }

    /// Whether the connection is encrypted.
    pub fn is_tls(self) -> bool {
        matches!(self, Self::Mqtts | Self::Wss)
    }

    /// Whether MQTT travels inside WebSocket frames.
    pub fn is_websocket(self) -> bool {
        matches!(self, Self::Ws | Self::Wss)
    }
}

/// The path a WebSockets address gets when none is written (the usual one: EMQX, HiveMQ, VerneMQ).
pub const DEFAULT_WS_PATH: &str = "/mqtt";

/// A broker address: `mqtt://host:port`, `mqtts://host`, `ws://host:9001/mqtt`, `wss://host/mqtt`,
/// or just `host:port` (plain TCP).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerAddress {
    /// How the connection is carried.
    pub scheme: Scheme,
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// The HTTP path of a WebSockets address, starting with `/`; empty for TCP.
    pub path: String,
}

/// Why a broker address could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Nothing was given.
    #[error("Enter the broker's address, such as localhost:1883")]
    Empty,
    /// A scheme that is not MQTT at all.
    #[error("\"{0}://\" is not an MQTT address: use mqtt://, mqtts://, ws:// or wss://")]
    UnknownScheme(String),
    /// The port is not a number from 1 to 65535.
    #[error("\"{0}\" is not a port number (1 to 65535)")]
    BadPort(String),
    /// No host before the port.
    #[error("The address has no host name")]
    NoHost,
    /// Characters a host name cannot hold.
    #[error("\"{0}\" is not a host name")]
    BadHost(String),
}

impl BrokerAddress {
    /// Read an address as a person types it.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AddressError::Empty);
        }
        let (scheme, rest) = match text.split_once("://") {
            Some((scheme, rest)) => (
                match scheme.to_ascii_lowercase().as_str() {
                    "mqtt" | "tcp" => Scheme::Mqtt,
                    "mqtts" | "ssl" | "tls" | "tcps" => Scheme::Mqtts,
                    "ws" => Scheme::Ws,
                    "wss" => Scheme::Wss,
                    _ => return Err(AddressError::UnknownScheme(scheme.to_owned())),
                },
                rest,
            ),
            None => (Scheme::Mqtt, text),
        };
        let (authority, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash..]),
            None => (rest, ""),
        };
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
        if host.chars().any(|c| c.is_whitespace() || "@?#/\\".contains(c)) {
            return Err(AddressError::BadHost(host.to_owned()));
        }
        let port = match port {
            None | Some("") => scheme.default_port(),
            Some(port) => match port.parse::<u16>() {
                Ok(port) if port > 0 => port,
                _ => return Err(AddressError::BadPort(port.to_owned())),
            },
        };
        // A path means something only to WebSockets; plain TCP ignores a trailing "/...".
        let path = if scheme.is_websocket() {
            if path.is_empty() { DEFAULT_WS_PATH } else { path }
        } else {
            ""
        };
        Ok(Self {
            scheme,
            host: host.to_owned(),
            port,
            path: path.to_owned(),
        })
    }

    /// `host:port` (IPv6 in brackets): the broker, whatever the transport.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl std::fmt::Display for BrokerAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}{}", self.scheme.as_str(), self.authority(), self.path)
    }
}

pub use crate::model::MqttVersion;

/// Which MQTT version to speak: 5 where the broker speaks it, else 3.1.1; or only one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum VersionChoice {
    /// MQTT 5 first; 3.1.1 when the broker refuses 5 or closes the connection before answering.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// MQTT 3.1.1 only.
    #[serde(rename = "3.1.1")]
    V311,
    /// MQTT 5 only.
    #[serde(rename = "5")]
    V5,
}

impl VersionChoice {
    /// The version the first attempt speaks.
    pub fn first(self) -> MqttVersion {
        match self {
            Self::Auto | Self::V5 => MqttVersion::V5,
            Self::V311 => MqttVersion::V311,
        }
    }

    /// Whether 3.1.1 is tried when the broker does not speak 5.
    pub fn falls_back(self) -> bool {
        self == Self::Auto
    }

    /// As people write it: "auto", "3.1.1" or "5".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::V311 => "3.1.1",
            Self::V5 => "5",
        }
    }
}

impl From<MqttVersion> for VersionChoice {
    fn from(version: MqttVersion) -> Self {
        match version {
            MqttVersion::V311 => Self::V311,
            MqttVersion::V5 => Self::V5,
        }
    }
}

/// What an MQTT 5 connection asks for in CONNECT.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct V5Options {
    /// How long the broker keeps the session after the connection ends (none: it ends with it).
    pub session_expiry_secs: Option<u32>,
    /// QoS 1 and 2 messages the broker may send at once before waiting for acks (none: 65,535).
    pub receive_maximum: Option<u16>,
    /// The largest packet the broker may send (none: MQTT's limit, 256 MiB).
    pub maximum_packet_size: Option<u32>,
    /// User properties sent with CONNECT.
    pub user_properties: Vec<(String, String)>,
}

/// The message the broker publishes for this client when its connection ends without a
/// DISCONNECT (a crash, a lost network).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LastWill {
    /// Topic to publish to.
    pub topic: String,
    /// Payload, as text.
    pub payload: String,
    /// Delivery QoS.
    pub qos: Qos,
    /// Whether the broker retains it.
    pub retain: bool,
}

/// TLS choices for `mqtts://` and `wss://`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TlsOptions {
    /// Trust exactly the CAs in this PEM file instead of the operating system's trust store.
    pub ca_file: Option<PathBuf>,
    /// The client's certificate (PEM), for brokers that ask for one.
    pub client_cert_file: Option<PathBuf>,
    /// The client certificate's private key (PEM: PKCS#8, PKCS#1 or SEC1); may be in the certificate file.
    pub client_key_file: Option<PathBuf>,
    /// ALPN protocols to offer, such as `mqtt` or `x-amzn-mqtt-ca`.
    pub alpn: Vec<String>,
    /// Check the server's certificate for this name instead of the host connected to.
    pub server_name: Option<String>,
    /// Accept any server certificate (dangerous: anyone in between can read and change everything).
    pub insecure: bool,
}

impl TlsOptions {
    /// The server name to send and check instead of the host connected to, when one is set.
    pub fn server_name_override(&self) -> Option<&str> {
        self.server_name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
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
    /// TLS choices, used by `mqtts://` and `wss://`.
    pub tls: TlsOptions,
    /// Start with a clean session (3.1.1) or clean start (5): the broker forgets earlier
    /// subscriptions and queued messages of this client id.
    pub clean_session: bool,
    /// The last will, if any.
    pub last_will: Option<LastWill>,
    /// The protocol version: 5 with 3.1.1 as a fallback, or only one.
    pub version: VersionChoice,
    /// MQTT 5 CONNECT options (used only when speaking MQTT 5).
    pub v5: V5Options,
    /// The proxy to reach the broker through, if any.
    pub proxy: Option<ProxySettings>,
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
            .field("tls", &self.tls)
            .field("clean_session", &self.clean_session)
            .field("last_will", &self.last_will)
            .field("version", &self.version)
            .field("v5", &self.v5)
            .field("proxy", &self.proxy)
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
            keep_alive_secs: DEFAULT_KEEP_ALIVE_SECS,
            connect_timeout_secs: DEFAULT_CONNECT_TIMEOUT_SECS,
            tls: TlsOptions::default(),
            clean_session: true,
            last_will: None,
            version: VersionChoice::Auto,
            v5: V5Options::default(),
            proxy: None,
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
mod tests;
