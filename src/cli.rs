//! Command-line options.

use clap::Parser;

use crate::model::Subscription;
use crate::mqtt::settings::{BrokerAddress, ConnectionSettings};

/// mqscope: a fast native MQTT explorer. Shows every topic on a broker as a
/// live tree, with each message's payload pretty-printed.
#[derive(Debug, Parser)]
#[command(name = "mqscope", version, about)]
pub struct Cli {
    /// Broker to connect to at start, such as mqtt://localhost:1883 (without it, a connect form opens)
    #[arg(short, long, env = "MQSCOPE_BROKER", value_name = "URL")]
    pub broker: Option<String>,

    /// User name for the broker
    #[arg(short, long, env = "MQSCOPE_USERNAME")]
    pub username: Option<String>,

    /// Password for the broker
    #[arg(short = 'P', long, env = "MQSCOPE_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,

    /// MQTT client id (default: mqscope- and six random characters)
    #[arg(short = 'i', long, value_name = "ID")]
    pub client_id: Option<String>,

    /// Topic filter to subscribe to; repeat for several (default: # and $SYS/#)
    #[arg(short = 't', long = "topic", value_name = "FILTER")]
    pub topics: Vec<String>,
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
    fn a_bad_broker_is_explained() {
        let cli = Cli::try_parse_from(["mqscope", "--broker", "pi:nope"]).expect("parses");
        assert!(cli.settings().expect_err("a bad port").contains("port"));
    }
}
