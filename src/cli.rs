//! Command-line options (and, in `manual`, the man page and completions written from them).

pub mod connect;
pub mod manual;
pub mod replay;

use std::path::PathBuf;

use connect::ConnectArgs;

use clap::Parser;

use crate::model::Subscription;
use crate::mqtt::settings::{BrokerAddress, ConnectionSettings};

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
    #[arg(long, value_name = "NAME", conflicts_with_all = ["broker", "proxy"])]
    pub profile: Option<String>,

    /// Login, client id, MQTT version, TLS and proxy.
    #[command(flatten)]
    pub connect: ConnectArgs,

    /// Topic filter to subscribe to; repeat for several (default: # and $SYS/#)
    #[arg(short = 't', long = "topic", value_name = "FILTER")]
    pub topics: Vec<String>,

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
        self.connect.apply(&mut settings, broker)?;
        if !self.topics.is_empty() {
            settings.subscriptions = self.topics.iter().map(Subscription::new).collect();
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
    use crate::mqtt::settings::VersionChoice;

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
