//! Command-line options (and, in `manual`, the man page and completions written from them).

pub mod manual;
pub mod replay;

use std::path::PathBuf;

use clap::Parser;

use crate::model::Subscription;
use crate::mqtt::settings::{BrokerAddress, ConnectionSettings, ProxySettings, TlsOptions, VersionChoice};

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

/// mqscope: a fast native MQTT explorer. Shows every topic on a broker as a
/// live tree, with each message's payload pretty-printed.
#[derive(Debug, Parser)]
#[command(name = "mqscope", version, about)]
pub struct Cli {
    /// Broker to connect to at start: mqtt://host:1883, mqtts://host:8883, ws://host:9001/mqtt or
    /// wss://host/mqtt (without it, the connection manager opens)
    #[arg(short, long, env = "MQSCOPE_BROKER", value_name = "URL")]
    pub broker: Option<String>,

    /// Connect with the saved connection profile of this name
    #[arg(long, value_name = "NAME", conflicts_with = "broker")]
    pub profile: Option<String>,

    /// User name for the broker
    #[arg(short, long, env = "MQSCOPE_USERNAME")]
    pub username: Option<String>,

    /// Password for the broker (or for a --profile that does not keep one)
    #[arg(short = 'P', long, env = "MQSCOPE_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,

    /// MQTT client id (default: mqscope- and six random characters)
    #[arg(short = 'i', long, value_name = "ID")]
    pub client_id: Option<String>,

    /// Topic filter to subscribe to; repeat for several (default: # and $SYS/#)
    #[arg(short = 't', long = "topic", value_name = "FILTER")]
    pub topics: Vec<String>,

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
    #[arg(
        long,
        env = "MQSCOPE_PROXY",
        hide_env_values = true,
        value_name = "URL",
        value_parser = parse_proxy,
        conflicts_with = "profile"
    )]
    pub proxy: Option<ProxySettings>,

    /// Record every message of the connection to this file from the start: JSON Lines, one
    /// message a line (compressed with zstd when the name ends in .zst)
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,

    /// Write the man page or a shell's completions to standard output and exit (for packages)
    #[arg(long, value_name = "WHAT", hide = true)]
    pub generate: Option<manual::Generated>,

    /// Something to do instead of opening the window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What mqscope can do without its window.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Publish a recording's messages again to a broker, at the recorded pace or faster
    Replay(replay::ReplayArgs),
}

impl Cli {
    /// The connection to open at start, if a broker was given.
    pub fn settings(&self) -> Result<Option<ConnectionSettings>, String> {
        let Some(broker) = &self.broker else {
            return Ok(None);
        };
        let address = BrokerAddress::parse(broker).map_err(|e| format!("--broker {broker}: {e}"))?;
        let mut settings = ConnectionSettings::new(address);
        if let Some(id) = self.client_id.as_ref().filter(|id| !id.is_empty()) {
            settings.client_id.clone_from(id);
        }
        settings.username.clone_from(&self.username);
        settings.password.clone_from(&self.password);
        if !self.topics.is_empty() {
            settings.subscriptions = self.topics.iter().map(Subscription::new).collect();
        }
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
        let tls_given = settings.tls != TlsOptions::default();
        if tls_given && !settings.address.scheme.is_tls() {
            return Err(format!(
                "--broker {broker}: TLS options need an mqtts:// or wss:// address"
            ));
        }
        if let Some(error) = settings
            .subscriptions
            .iter()
            .find_map(|s| crate::model::topic::filter_error(&s.filter))
        {
            return Err(format!("--topic {error}"));
        }
        Ok(Some(settings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_and_login_become_settings() {
        let cli = Cli::try_parse_from([
            "mqscope",
            "--broker",
            "mqtt://pi:1884",
            "-u",
            "bob",
            "-P",
            "pw",
            "-t",
            "a/#",
        ])
        .expect("parses");
        let settings = cli.settings().expect("valid").expect("has a broker");
        assert_eq!(settings.address.port, 1884);
        assert_eq!(settings.username.as_deref(), Some("bob"));
        assert_eq!(settings.subscriptions, vec![Subscription::new("a/#")]);
    }

    #[test]
    fn tls_options_go_with_a_tls_address() {
        let cli = Cli::try_parse_from([
            "mqscope",
            "-b",
            "mqtts://broker.lan",
            "--ca",
            "ca.pem",
            "--cert",
            "me.crt",
            "--key",
            "me.key",
            "--server-name",
            "broker.internal",
            "--alpn",
            "mqtt",
        ])
        .expect("parses");
        let settings = cli.settings().expect("valid").expect("has a broker");
        assert_eq!(settings.address.port, 8883);
        assert_eq!(settings.tls.ca_file.as_deref(), Some(std::path::Path::new("ca.pem")));
        assert_eq!(
            settings.tls.client_key_file.as_deref(),
            Some(std::path::Path::new("me.key"))
        );
        assert_eq!(settings.tls.server_name.as_deref(), Some("broker.internal"));
        assert_eq!(settings.tls.alpn, ["mqtt"]);
        assert!(!settings.tls.insecure);

        let v5 = Cli::try_parse_from(["mqscope", "-b", "x", "--mqtt-version", "5"]).expect("parses");
        assert_eq!(
            v5.settings().expect("valid").expect("broker").version,
            VersionChoice::V5
        );
        assert!(Cli::try_parse_from(["mqscope", "-b", "x", "--mqtt-version", "6"]).is_err());

        let plain = Cli::try_parse_from(["mqscope", "-b", "mqtt://broker.lan", "--insecure"]).expect("parses");
        assert!(
            plain
                .settings()
                .expect_err("TLS options on plain TCP")
                .contains("mqtts://")
        );
        assert!(Cli::try_parse_from(["mqscope", "-b", "mqtts://x", "--key", "k.pem"]).is_err());
    }

    #[test]
    fn a_proxy_goes_with_any_transport() {
        for broker in ["mqtt://b:1883", "mqtts://b", "ws://b:9001/mqtt", "wss://b/mqtt"] {
            let cli =
                Cli::try_parse_from(["mqscope", "-b", broker, "--proxy", "socks5://me:pw@gate:1081"]).expect("parses");
            let proxy = cli.settings().expect("valid").expect("broker").proxy.expect("a proxy");
            assert_eq!(proxy.to_string(), "socks5://gate:1081");
            assert_eq!(proxy.login(), Some(("me", "pw")));
        }
        let error = Cli::try_parse_from(["mqscope", "-b", "x", "--proxy", "gate:1080"]).expect_err("no scheme");
        assert!(error.to_string().contains("socks5://host:port"), "{error}");
        assert!(
            Cli::try_parse_from(["mqscope", "--profile", "Pi", "--proxy", "http://gate:3128"]).is_err(),
            "a profile keeps its own proxy"
        );
    }

    #[test]
    fn a_profile_is_named_instead_of_a_broker() {
        let cli = Cli::try_parse_from(["mqscope", "--profile", "Pi", "-P", "pw"]).expect("parses");
        assert_eq!(cli.profile.as_deref(), Some("Pi"));
        assert_eq!(cli.settings(), Ok(None));
        assert!(Cli::try_parse_from(["mqscope", "--profile", "Pi", "--broker", "x"]).is_err());
    }

    #[test]
    fn a_bad_broker_is_explained() {
        let cli = Cli::try_parse_from(["mqscope", "--broker", "pi:nope"]).expect("parses");
        assert!(cli.settings().expect_err("a bad port").contains("port"));
    }
}
