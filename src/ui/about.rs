//! The About window's content: what a bug report needs (version, OS, GL, the log file, each
//! connection's broker and protocol version, the latest problems), built in one pass into a
//! [`Report`], drawn, and copied whole as text.

use eframe::egui::{self, RichText};

use crate::model::{ConnectionState, MqttVersion, Session};

/// The broker's own name for its version, in `$SYS` (Mosquitto, and brokers that follow it).
pub const BROKER_VERSION_TOPIC: &str = "$SYS/broker/version";

/// What one open connection says of itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionReport {
    /// The tab's name.
    pub title: String,
    /// The broker's address.
    pub address: String,
    /// Where the connection stands, in words.
    pub state: String,
    /// The MQTT version the connection settled on, while connected.
    pub mqtt_version: Option<MqttVersion>,
    /// The broker's version as it publishes it (`$SYS/broker/version`), if seen.
    pub broker_version: Option<String>,
}

impl ConnectionReport {
    /// The report of a connection to `address` named `title`, from what it has seen.
    pub fn of(title: &str, address: &str, session: &Session) -> Self {
        let (state, mqtt_version) = match session.state() {
            ConnectionState::Connecting { attempt } => (format!("connecting (attempt {attempt})"), None),
            ConnectionState::Connected { version, fell_back, .. } => {
                let state = if *fell_back {
                    "connected (the broker does not speak MQTT 5)".to_owned()
                } else {
                    "connected".to_owned()
                };
                (state, Some(*version))
            }
            ConnectionState::Reconnecting { reason, failures, .. } => {
                (format!("reconnecting after {failures} failures: {reason}"), None)
            }
            ConnectionState::Failed { reason } => (format!("failed: {reason}"), None),
            ConnectionState::Disconnected => ("disconnected".to_owned(), None),
        };
        let broker_version = session
            .tree
            .latest_of(BROKER_VERSION_TOPIC)
            .map(|message| String::from_utf8_lossy(&message.payload).trim().to_owned())
            .filter(|version| !version.is_empty());
        Self {
            title: title.to_owned(),
            address: address.to_owned(),
            state,
            mqtt_version,
            broker_version,
        }
    }

    /// Its line of the report.
    fn line(&self) -> String {
        let mqtt = self
            .mqtt_version
            .map_or_else(String::new, |v| format!(", MQTT {}", v.as_str()));
        let broker = self.broker_version.as_deref().map_or_else(
            || "broker version not seen ($SYS/broker/version)".to_owned(),
            str::to_owned,
        );
        format!("{} ({}): {}{mqtt}; {broker}", self.title, self.address, self.state)
    }
}

/// Everything the About window shows and copies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// mqscope's version.
    pub version: String,
    /// The OS, with its name where it says it, and the CPU architecture.
    pub os: String,
    /// The GL renderer, or why it is not known.
    pub gl_renderer: String,
    /// The OpenGL version the window draws with, if known.
    pub gl_version: Option<String>,
    /// Where the log is written, or why it is not.
    pub log_file: String,
    /// Each open connection.
    pub connections: Vec<ConnectionReport>,
    /// The latest warnings and errors, oldest first.
    pub problems: Vec<String>,
}

impl Report {
    /// The report as plain text, for the clipboard.
    pub fn text(&self) -> String {
        let mut lines = vec![
            format!("mqscope {}", self.version),
            format!("OS: {}", self.os),
            format!("GL renderer: {}", self.gl_renderer),
        ];
        if let Some(version) = &self.gl_version {
            lines.push(format!("OpenGL: {version}"));
        }
        lines.push(format!("Log file: {}", self.log_file));
        lines.push(String::new());
        if self.connections.is_empty() {
            lines.push("Connections: none open".to_owned());
        } else {
            lines.push("Connections:".to_owned());
            lines.extend(self.connections.iter().map(|c| format!("  {}", c.line())));
        }
        lines.push(String::new());
        if self.problems.is_empty() {
            lines.push("Recent warnings and errors: none".to_owned());
        } else {
            lines.push("Recent warnings and errors:".to_owned());
            lines.extend(self.problems.iter().map(|p| format!("  {p}")));
        }
        lines.join("\n") + "\n"
    }

    /// Draw it; returns true when *Copy diagnostics* was clicked.
    pub fn ui(&self, ui: &mut egui::Ui) -> bool {
        ui.label(RichText::new(format!("mqscope {}", self.version)).strong().size(16.0));
        ui.label("A fast, native MQTT explorer");
        ui.add_space(4.0);
        egui::Grid::new("about-grid")
            .num_columns(2)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                let row = |ui: &mut egui::Ui, name: &str, value: &str| {
                    ui.weak(name);
                    ui.add(egui::Label::new(value).wrap().selectable(true));
                    ui.end_row();
                };
                row(ui, "OS", &self.os);
                row(ui, "GL renderer", &self.gl_renderer);
                if let Some(version) = &self.gl_version {
                    row(ui, "OpenGL", version);
                }
                row(ui, "Log file", &self.log_file);
            });
        ui.add_space(4.0);
        ui.label(RichText::new("Connections").strong());
        if self.connections.is_empty() {
            ui.weak("None open");
        }
        for connection in &self.connections {
            ui.add(egui::Label::new(connection.line()).wrap().selectable(true));
        }
        ui.add_space(4.0);
        ui.label(RichText::new("Recent warnings and errors").strong());
        if self.problems.is_empty() {
            ui.weak("None");
        } else {
            egui::ScrollArea::vertical()
                .max_height(ui.text_style_height(&egui::TextStyle::Body) * 6.0)
                .show(ui, |ui| {
                    for problem in self.problems.iter().rev() {
                        ui.add(
                            egui::Label::new(RichText::new(problem).monospace())
                                .wrap()
                                .selectable(true),
                        );
                    }
                });
        }
        ui.add_space(6.0);
        ui.button("Copy diagnostics")
            .on_hover_text("Put all of the above on the clipboard as text, for a bug report")
            .clicked()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use crate::model::{Event, Message, Received};

    use super::*;

    fn connected_to_mosquitto() -> Session {
        let mut session = Session::new();
        let now = Instant::now();
        session.apply(
            Event::State(ConnectionState::Connected {
                since: std::time::SystemTime::now(),
                version: MqttVersion::V5,
                fell_back: false,
            }),
            now,
        );
        session.apply(
            Event::Messages(vec![Received {
                topic: BROKER_VERSION_TOPIC.to_owned(),
                message: Message::new(b"mosquitto version 2.0.11".to_vec()),
            }]),
            now,
        );
        session
    }

    #[test]
    fn the_text_names_the_version_the_broker_and_the_protocol() {
        let report = Report {
            version: "0.1.0".into(),
            os: "linux x86_64".into(),
            gl_renderer: "not known".into(),
            gl_version: None,
            log_file: "/home/u/.local/state/mqscope/mqscope.log".into(),
            connections: vec![
                ConnectionReport::of("Pi", "mqtt://pi:1883", &connected_to_mosquitto()),
                ConnectionReport::of("Lab", "mqtt://lab:1883", &Session::new()),
            ],
            problems: vec!["01:02:03 WARN connection failed".into()],
        };
        let text = report.text();
        assert!(
            text.starts_with("mqscope 0.1.0\nOS: linux x86_64\nGL renderer: not known\n"),
            "{text}"
        );
        assert!(
            text.contains("  Pi (mqtt://pi:1883): connected, MQTT 5; mosquitto version 2.0.11\n"),
            "{text}"
        );
        assert!(
            text.contains("  Lab (mqtt://lab:1883): connecting (attempt 1); broker version not seen"),
            "{text}"
        );
        assert!(
            text.ends_with("Recent warnings and errors:\n  01:02:03 WARN connection failed\n"),
            "{text}"
        );
    }
}
