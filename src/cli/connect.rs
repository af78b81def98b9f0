//! The connection options the window's command line and `mqscope replay` share: login, client
//! id, MQTT version, TLS and proxy, flattened into each, and put into connection settings once.

use std::path::PathBuf;

use crate::mqtt::settings::{ConnectionSettings, ProxySettings, TlsOptions, VersionChoice};

fn parse_proxy(text: &str) -> Result<ProxySettings, String> {
    ProxySettings::parse(text).map_err(|e| e.to_string())
}

fn parse_version(text: &str) -> Result<VersionChoice, String> {
    match text.trim() {
        "auto" => Ok(VersionChoice::Auto),
        "3.1.1" | "3" | "311" | "4" => Ok(VersionChoice::V311),
        "5" | "5.0" => Ok(VersionChoice::V5),
        other => Err(format!("\"{other}\" is not an MQTT version: use auto, 3.1.1 or 5")),
    }
}

/// How to reach and log in to the broker.
#[derive(Debug, clap::Args)]
pub struct ConnectArgs {
    /// User name for the broker
    #[arg(short, long, env = "MQSCOPE_USERNAME")]
    pub username: Option<String>,

    /// Password for the broker (or for a --profile that does not keep one)
    #[arg(short = 'P', long, env = "MQSCOPE_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,

    /// MQTT client id (default: mqscope- and six random characters)
    #[arg(short = 'i', long, value_name = "ID")]
    pub client_id: Option<String>,

    /// MQTT protocol version: auto (5, or 3.1.1 where the broker does not speak 5; the
    /// default), 3.1.1 or 5
    #[arg(long, value_name = "VERSION", default_value = "auto", value_parser = parse_version)]
    pub mqtt_version: VersionChoice,

    /// TLS: trust the CAs in this PEM file instead of the system's trust store
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,

    /// TLS: client certificate (PEM), for brokers that require one
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,

    /// TLS: the client certificate's private key (PEM: PKCS#8, PKCS#1 or SEC1)
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,

    /// TLS: check the broker's certificate for this name, and send it as the server name
    /// (SNI), instead of the host connected to
    #[arg(long, value_name = "NAME")]
    pub server_name: Option<String>,

    /// TLS: ALPN protocol to offer; repeat for several
    #[arg(long, value_name = "PROTOCOL")]
    pub alpn: Vec<String>,

    /// TLS: do not verify the broker's certificate (dangerous)
    #[arg(long)]
    pub insecure: bool,

    /// Reach the broker through this proxy: socks5://[user:pass@]host:port or
    /// http://[user:pass@]host:port (HTTP CONNECT); a --profile sets its own in the connection
    /// manager
    #[arg(long, env = "MQSCOPE_PROXY", hide_env_values = true, value_name = "URL", value_parser = parse_proxy)]
    pub proxy: Option<ProxySettings>,
}

impl ConnectArgs {
    /// Put the options into `settings`, made for the broker `broker` as typed; TLS options
    /// for an address without TLS are refused.
    pub fn apply(&self, settings: &mut ConnectionSettings, broker: &str) -> Result<(), String> {
        if let Some(id) = self.client_id.as_ref().filter(|id| !id.is_empty()) {
            settings.client_id.clone_from(id);
        }
        settings.username.clone_from(&self.username);
        settings.password.clone_from(&self.password);
        settings.version = self.mqtt_version;
        settings.tls = TlsOptions {
            ca_file: self.ca.clone(),
            client_cert_file: self.cert.clone(),
            client_key_file: self.key.clone(),
            alpn: self.alpn.clone(),
            server_name: self.server_name.clone(),
            insecure: self.insecure,
        };
        settings.proxy.clone_from(&self.proxy);
        if settings.tls != TlsOptions::default() && !settings.address.scheme.is_tls() {
            return Err(format!(
                "--broker {broker}: TLS options need an mqtts:// or wss:// address"
            ));
        }
        Ok(())
    }
}
