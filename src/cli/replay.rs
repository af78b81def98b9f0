//! `mqscope replay`: the options of a replay without the window, and their translation into
//! connection settings and [`ReplayOptions`].

use std::path::PathBuf;

use crate::model::Qos;
use crate::mqtt::settings::{BrokerAddress, ConnectionSettings};
use crate::replay::{Bound, ReplayOptions, Speed};

fn parse_qos(text: &str) -> Result<Qos, String> {
    text.trim()
        .parse::<u8>()
        .ok()
        .and_then(Qos::from_level)
        .ok_or_else(|| format!("\"{text}\" is not a QoS: use 0, 1 or 2"))
}

/// Publish a recording's messages again to a broker, at the recorded pace or faster, without
/// opening the window (for a script or CI); progress and a summary go to standard error
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The recording: mqscope's JSON Lines (.jsonl, or .jsonl.zst) or mosquitto_sub -F %j lines
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Broker to publish to: mqtt://host:1883, mqtts://host:8883, ws://host:9001/mqtt or
    /// wss://host/mqtt
    #[arg(short, long, env = "MQSCOPE_BROKER", value_name = "URL")]
    pub broker: String,

    /// How fast: 1 for the recorded pace (the default), 10 for ten times faster, max for as
    /// fast as the broker takes them
    #[arg(short, long, value_name = "N", default_value = "1", value_parser = Speed::parse)]
    pub speed: Speed,

    /// Put this before every topic (replay makes a/b into replay/a/b), so devices listening
    /// on the real topics are not driven
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,

    /// Replay only the messages of this topic filter; repeat for several (default: all)
    #[arg(short = 't', long = "topic", value_name = "FILTER")]
    pub topics: Vec<String>,

    /// Leave out messages before this: an offset from the recording's first message (90s,
    /// 1.5m, 1:30) or an RFC 3339 time
    #[arg(long, value_name = "WHEN", value_parser = Bound::parse)]
    pub from: Option<Bound>,

    /// Leave out messages after this: an offset from the recording's first message or an
    /// RFC 3339 time
    #[arg(long, value_name = "WHEN", value_parser = Bound::parse)]
    pub to: Option<Bound>,

    /// Publish with this QoS (0, 1 or 2) instead of the recorded one
    #[arg(long, value_name = "QOS", value_parser = parse_qos)]
    pub qos: Option<Qos>,

    /// Publish with this retain flag instead of the recorded one
    #[arg(long, value_name = "BOOL")]
    pub retain: Option<bool>,

    /// Start again from the beginning after the last message, until interrupted
    #[arg(long = "loop")]
    pub repeat: bool,

    /// Login, client id, MQTT version, TLS and proxy.
    #[command(flatten)]
    pub connect: super::connect::ConnectArgs,
}

impl ReplayArgs {
    /// The connection to publish through.
    pub fn settings(&self) -> Result<ConnectionSettings, String> {
        let broker = &self.broker;
        let address = BrokerAddress::parse(broker).map_err(|e| format!("--broker {broker}: {e}"))?;
        let mut settings = ConnectionSettings::new(address);
        self.connect.apply(&mut settings, broker)?;
        settings.subscriptions.clear();
        Ok(settings)
    }

    /// What to replay, and how.
    pub fn options(&self) -> Result<ReplayOptions, String> {
        let options = ReplayOptions {
            filters: self.topics.clone(),
            from: self.from,
            to: self.to,
            speed: self.speed,
            qos: self.qos,
            retain: self.retain,
            prefix: self.prefix.clone().unwrap_or_default(),
            repeat: self.repeat,
        };
        match options.problem() {
            Some(problem) => Err(problem),
            None => Ok(options),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::super::{Cli, Command};
    use super::*;

    #[test]
    fn the_replay_subcommand_reads_its_options() {
        let cli = Cli::try_parse_from([
            "mqscope",
            "replay",
            "cap.jsonl",
            "--broker",
            "mqtt://pi",
            "--speed",
            "10",
            "--prefix",
            "replay",
            "-t",
            "a/#",
            "-t",
            "b/+",
            "--from",
            "1:00",
            "--qos",
            "1",
            "--retain",
            "false",
            "--loop",
        ])
        .expect("parses");
        let Some(Command::Replay(args)) = cli.command else {
            panic!("a replay");
        };
        let options = args.options().expect("valid");
        assert_eq!(options.speed, Speed::Times(10.0));
        assert_eq!(options.filters, ["a/#", "b/+"]);
        assert_eq!(options.from, Some(Bound::Offset(std::time::Duration::from_secs(60))));
        assert_eq!(
            (options.qos, options.retain, options.repeat),
            (Some(Qos::AtLeastOnce), Some(false), true)
        );
        assert_eq!(options.topic("x"), "replay/x");
        assert!(args.settings().expect("valid").subscriptions.is_empty());
        assert!(Cli::try_parse_from(["mqscope", "replay", "f", "-b", "x", "--qos", "3"]).is_err());
        assert!(Cli::try_parse_from(["mqscope", "replay", "f", "-b", "x", "--speed", "slow"]).is_err());
    }

    #[test]
    fn the_window_still_opens_with_a_broker_and_no_subcommand() {
        let cli = Cli::try_parse_from(["mqscope", "--broker", "mqtt://pi"]).expect("parses");
        assert!(cli.command.is_none());
        assert!(cli.settings().expect("valid").is_some());
    }

    #[test]
    fn a_replay_goes_through_a_proxy_and_sends_the_server_name() {
        let cli = Cli::try_parse_from([
            "mqscope",
            "replay",
            "cap.jsonl",
            "-b",
            "mqtts://10.0.0.5",
            "--server-name",
            "broker.lan",
            "--proxy",
            "http://gate:3128",
        ])
        .expect("parses");
        let Some(Command::Replay(args)) = cli.command else {
            panic!("a replay");
        };
        let settings = args.settings().expect("valid");
        assert_eq!(settings.tls.server_name_override(), Some("broker.lan"));
        assert_eq!(
            settings.proxy.map(|p| p.to_string()).as_deref(),
            Some("http://gate:3128")
        );
    }
}
