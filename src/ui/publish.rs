//! The publish pane: inject a message as if a device had sent it, once or
//! repeatedly, typed as text (JSON checked), hex or base64.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bytes::Bytes;
use eframe::egui::{self, Key, Modifiers, RichText};

use super::dialogs::{Background, PathPrompt, Pending, Picked, Prompted};
use super::theme;
use crate::model::template::{self, Values};
use crate::model::{NodeId, PublishOutcome, Qos, Session, topic};
use crate::mqtt::{PublishId, PublishRequest};
use crate::payload::{self, Format, encode, json};
use crate::profiles::messages::{BrokerMessages, Encoding, StoredMessage};

mod library;
mod properties;

const ENCODINGS: [Encoding; 3] = [Encoding::Text, Encoding::Hex, Encoding::Base64];

fn encoding_label(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Text => "Text",
        Encoding::Hex => "Hex",
        Encoding::Base64 => "Base64",
    }
}

/// A repeated publish under way.
#[derive(Clone, Copy, Debug)]
struct Running {
    next_at: Instant,
    sent: u64,
}

/// Known topics continuing the typed one (topic, has children), for the text
/// and the tree shape version they were made for.
type Completions = (String, u64, Vec<(String, bool)>);

/// What the publish pane holds between frames.
#[derive(Debug)]
pub struct PublishPane {
    /// Whether the pane is shown.
    pub open: bool,
    topic: String,
    /// When pinned, the topic no longer follows the selected topic.
    pinned: bool,
    followed: Option<NodeId>,
    payload: String,
    encoding: Encoding,
    qos: Qos,
    retain: bool,
    repeat: bool,
    interval_ms: u32,
    /// How many sends a repeat makes; 0 repeats until stopped.
    times: u32,
    running: Option<Running>,
    /// The last request sent: its id (once the connection gave one) and a short description.
    last: Option<(Option<PublishId>, String)>,
    error: Option<String>,
    /// Saved messages and history of the connected broker.
    messages: BrokerMessages,
    /// Whether `messages` changed since [`Self::take_changed`] was last asked.
    changed: bool,
    /// The name typed to save the message under.
    save_name: String,
    /// Completions of the topic, for the text and tree shape they were made for.
    completions: Option<Completions>,
    /// MQTT 5 properties to send (shown when the connection speaks MQTT 5).
    properties: properties::PropertiesForm,
    /// Whether the connection speaks MQTT 5 (as of the last frame).
    v5: bool,
    /// Something done that deserves a word (a message saved from the message view).
    notice: Option<String>,
    /// A file whose bytes are the payload, instead of the editor's text.
    file: Option<(PathBuf, Bytes)>,
    /// Choosing or reading a payload file.
    loading: Option<LoadFile>,
}

/// A payload file on its way in.
#[derive(Debug)]
enum LoadFile {
    Picking(Pending),
    /// No file dialog could be shown: the path is typed.
    Typing(PathPrompt),
    Reading(Background<Result<(PathBuf, Bytes), String>>),
}

/// MQTT's largest packet: a payload file may not be larger.
const MAX_FILE_BYTES: u64 = 268_435_455;

/// Payloads up to this size sent from a file are kept in the history (as base64).
const FILE_HISTORY_BYTES: usize = 64 * 1024;

impl Default for PublishPane {
    fn default() -> Self {
        Self {
            open: false,
            topic: String::new(),
            pinned: false,
            followed: None,
            payload: String::new(),
            encoding: Encoding::Text,
            qos: Qos::AtMostOnce,
            retain: false,
            repeat: false,
            interval_ms: 1000,
            times: 10,
            running: None,
            last: None,
            error: None,
            messages: BrokerMessages::default(),
            changed: false,
            save_name: String::new(),
            completions: None,
            properties: properties::PropertiesForm::default(),
            v5: false,
            notice: None,
            file: None,
            loading: None,
        }
    }
}

/// A payload file's bytes, or why they cannot be sent.
fn read_payload_file(path: PathBuf) -> Result<(PathBuf, Bytes), String> {
    let size = std::fs::metadata(&path)
        .map_err(|e| format!("Could not read {}: {e}", path.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "{} is {}: MQTT carries at most 256 MiB in one message",
            path.display(),
            payload::text::human_bytes(size)
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("Could not read {}: {e}", path.display()))?;
    Ok((path, Bytes::from(bytes)))
}

/// Whether the text looks meant as JSON (so it is checked as JSON).
fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().chars().next(), Some('{' | '['))
}

impl PublishPane {
    /// A pane with the saved messages and history of the broker it publishes to.
    pub fn with_messages(messages: BrokerMessages) -> Self {
        Self {
            messages,
            ..Self::default()
        }
    }

    /// The saved messages and history.
    pub fn messages(&self) -> &BrokerMessages {
        &self.messages
    }

    /// Whether the saved messages or history changed since last asked (then they need saving).
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// The form as a message to keep; `None` for a file payload too large to keep.
    fn stored(&self, name: String) -> Option<StoredMessage> {
        let (payload, encoding) = match &self.file {
            Some((_, bytes)) if bytes.len() > FILE_HISTORY_BYTES => return None,
            Some((_, bytes)) => (encode::to_base64(bytes), Encoding::Base64),
            None => (self.payload.clone(), self.encoding),
        };
        Some(StoredMessage {
            name,
            topic: self.topic.clone(),
            payload,
            encoding,
            qos: self.qos.level(),
            retain: self.retain,
        })
    }

    /// Keep the form in the history of recent publishes.
    fn remember(&mut self) {
        if let Some(stored) = self.stored(String::new()) {
            self.messages.record(stored);
            self.changed = true;
        }
    }

    /// Fill the form from a kept message (the topic is pinned).
    fn restore(&mut self, message: &StoredMessage) {
        self.file = None;
        self.topic.clone_from(&message.topic);
        self.payload.clone_from(&message.payload);
        self.encoding = message.encoding;
        self.qos = Qos::from_level(message.qos).unwrap_or_default();
        self.retain = message.retain;
        self.pinned = true;
        self.error = None;
    }

    /// Put a message in the editor to edit and send again: its topic (pinned),
    /// payload (as text when it is text, else as hex), QoS and retain flag.
    pub fn load(&mut self, topic: &str, payload: &[u8], qos: Qos, retain: bool) {
        self.open = true;
        self.file = None;
        self.pinned = true;
        topic.clone_into(&mut self.topic);
        match std::str::from_utf8(payload) {
            Ok(text) if payload::text::is_plain_text(payload) => {
                self.encoding = Encoding::Text;
                text.clone_into(&mut self.payload);
            }
            _ => {
                self.encoding = Encoding::Hex;
                self.payload = encode::to_hex(payload);
            }
        }
        self.qos = qos;
        self.retain = retain;
        self.error = None;
    }

    /// Keep a received message among the saved messages, named after its topic (replacing one
    /// saved under that name), and say so in the pane.
    pub fn save_received(&mut self, topic: &str, payload: &[u8], qos: Qos, retain: bool) {
        let (text, encoding) = match std::str::from_utf8(payload) {
            Ok(text) if payload::text::is_plain_text(payload) => (text.to_owned(), Encoding::Text),
            _ => (encode::to_base64(payload), Encoding::Base64),
        };
        self.messages.save(StoredMessage {
            name: topic.to_owned(),
            topic: topic.to_owned(),
            payload: text,
            encoding,
            qos: qos.level(),
            retain,
        });
        self.changed = true;
        self.open = true;
        self.error = None;
        self.notice = Some(format!("Saved the message of {topic} as \"{topic}\" (Saved, above)"));
    }

    /// The payload bytes for send number `counter`, or what is wrong with the editor's text.
    fn payload_bytes(&self, counter: u64) -> Result<Vec<u8>, String> {
        if let Some((_, bytes)) = &self.file {
            return Ok(bytes.to_vec());
        }
        match self.encoding {
            Encoding::Text if template::has_placeholders(&self.payload) => {
                Ok(template::fill(&self.payload, Values::now(counter), template::random_between).into_bytes())
            }
            Encoding::Text => Ok(self.payload.clone().into_bytes()),
            Encoding::Hex => encode::parse_hex(&self.payload),
            Encoding::Base64 => encode::parse_base64(&self.payload),
        }
    }

    /// The request the form describes for send number `counter`, or what is wrong with it.
    fn request(&mut self, counter: u64) -> Result<PublishRequest, String> {
        let topic = if template::has_placeholders(&self.topic) {
            template::fill(&self.topic, Values::now(counter), template::random_between)
        } else {
            self.topic.clone()
        };
        if let Some(error) = topic::name_error(&topic) {
            return Err(error);
        }
        let payload = match &self.file {
            Some((_, bytes)) => bytes.clone(),
            None => Bytes::from(self.payload_bytes(counter)?),
        };
        let properties = if self.v5 {
            self.properties.properties()?.map(Box::new)
        } else {
            None
        };
        Ok(PublishRequest {
            topic,
            payload,
            qos: self.qos,
            retain: self.retain,
            properties,
        })
    }

    fn sent(&mut self, request: &PublishRequest) {
        self.error = None;
        self.notice = None;
        let what = format!(
            "{} bytes to {} at QoS {}{}",
            request.payload.len(),
            request.topic,
            request.qos,
            if request.retain { ", retained" } else { "" }
        );
        self.last = Some((None, what));
    }

    /// The connection took the last request returned, as `id`.
    pub fn published_as(&mut self, id: PublishId) {
        if let Some((last, _)) = &mut self.last {
            *last = Some(id);
        }
    }

    /// Send the next message of a repeat when it is due. Call every frame.
    pub fn tick(&mut self, now: Instant, connected: bool) -> Option<PublishRequest> {
        let running = self.running?;
        if now < running.next_at {
            return None;
        }
        if !connected {
            self.running = None;
            self.error = Some(format!("Repeat stopped after {} sends: not connected", running.sent));
            return None;
        }
        let counter = running.sent + 1;
        match self.request(counter) {
            Ok(request) => {
                self.sent(&request);
                let done = self.times > 0 && counter >= u64::from(self.times);
                // Keep the rhythm, but after a stall (a hidden window) do not send a burst to catch up.
                let next_at = (running.next_at + Duration::from_millis(u64::from(self.interval_ms.max(1)))).max(now);
                self.running = (!done).then_some(Running { next_at, sent: counter });
                Some(request)
            }
            Err(error) => {
                self.running = None;
                self.error = Some(format!("Repeat stopped: {error}"));
                None
            }
        }
    }

    /// How long until the next repeated send, while a repeat runs.
    pub fn next_tick(&self, now: Instant) -> Option<Duration> {
        self.running.map(|r| r.next_at.saturating_duration_since(now))
    }

    /// Draw the pane. Returns a request when the user publishes once (button or
    /// Ctrl+Enter) and the form is valid; a repeat's sends come from [`Self::tick`].
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        selected: Option<NodeId>,
        connected: bool,
        v5: bool,
        runtime: &tokio::runtime::Handle,
    ) -> Option<PublishRequest> {
        self.poll_file(ui.ctx(), runtime);
        self.v5 = v5;
        // Ctrl+Enter publishes from anywhere in the pane, before the editor can take the Enter.
        let mut submit = ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Enter));
        if !self.pinned && selected != self.followed {
            self.followed = selected;
            if let Some(id) = selected {
                self.topic = session.tree.topic(id);
            }
        }

        ui.horizontal(|ui| {
            ui.heading("Publish a message");
            ui.weak("Ctrl+Enter sends");
        });
        self.library_ui(ui);
        egui::Grid::new("publish-form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label("Topic");
                ui.vertical(|ui| {
                    ui.horizontal(|ui| {
                        let width = (ui.available_width() - 70.0).max(120.0);
                        let field = ui
                            .add(
                                egui::TextEdit::singleline(&mut self.topic)
                                    .hint_text("home/kitchen/light/set")
                                    .font(egui::TextStyle::Monospace)
                                    .desired_width(width),
                            )
                            .labelled_by(label.id);
                        if field.changed() {
                            // Typing a topic is choosing it: stop following the selection.
                            self.pinned = true;
                        }
                        ui.checkbox(&mut self.pinned, "Pin")
                            .on_hover_text("Keep this topic when another topic is selected");
                    });
                    self.completions_ui(ui, session);
                });
                ui.end_row();

                ui.label("Options");
                ui.horizontal(|ui| {
                    for qos in Qos::ALL {
                        ui.radio_value(&mut self.qos, qos, format!("QoS {qos}"));
                    }
                    ui.checkbox(&mut self.retain, "Retain");
                });
                ui.end_row();
            });

        let mut label_id = None;
        ui.horizontal(|ui| {
            label_id = Some(ui.label("Payload").id);
            ui.add_space(8.0);
            if self.file.is_none() {
                for encoding in ENCODINGS {
                    ui.selectable_value(&mut self.encoding, encoding, encoding_label(encoding));
                }
            }
            ui.separator();
            if matches!(self.loading, Some(LoadFile::Picking(_) | LoadFile::Reading(_))) {
                ui.spinner();
            } else if ui
                .button("From file…")
                .on_hover_text("Send a file's bytes, exactly, as the payload")
                .clicked()
            {
                self.loading = Some(LoadFile::Picking(Pending::open(ui.ctx(), runtime, "Payload file", &[])));
                self.error = None;
            }
        });
        if let Some(LoadFile::Typing(prompt)) = &mut self.loading {
            match prompt.ui(ui, "/path/to/payload.bin") {
                Prompted::Typing => {}
                Prompted::Path(path) => {
                    self.loading = Some(LoadFile::Reading(Background::start(ui.ctx(), runtime, move || {
                        read_payload_file(path)
                    })));
                }
                Prompted::Cancelled => self.loading = None,
            }
        }
        if let Some((path, bytes)) = &self.file {
            let mut clear = false;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(format!(
                        "File {} ({})",
                        path.display(),
                        payload::text::human_bytes(bytes.len() as u64)
                    ));
                    if ui.button("Use text instead").clicked() {
                        clear = true;
                    }
                });
                ui.weak(payload::text::preview(bytes, 120));
            });
            if clear {
                self.file = None;
            }
        }
        if self.file.is_none() {
            // Leave room for what follows: the buttons, and the MQTT 5 properties when unfolded.
            let below = if self.v5 && self.properties.unfolded {
                290.0
            } else {
                110.0
            };
            let rows = ((ui.available_height() - below) / 16.0).clamp(2.0, 20.0) as usize;
            let hint = match self.encoding {
                Encoding::Text => "{\"state\": \"ON\", \"n\": {{counter}}}",
                Encoding::Hex => "01 02 ff",
                Encoding::Base64 => "aGVsbG8=",
            };
            let editor = ui.add(
                egui::TextEdit::multiline(&mut self.payload)
                    .code_editor()
                    .hint_text(hint)
                    .desired_rows(rows)
                    .desired_width(f32::INFINITY),
            );
            if let Some(id) = label_id {
                editor.labelled_by(id);
            }
        }
        if self.v5 {
            self.properties.ui(ui);
        }

        ui.horizontal(|ui| {
            if let Some(running) = self.running {
                ui.spinner();
                let of = if self.times > 0 {
                    format!(" of {}", self.times)
                } else {
                    String::new()
                };
                ui.label(format!("Repeating: {} sent{of}", running.sent));
                if ui.button("Stop").clicked() {
                    self.running = None;
                }
            } else {
                let send = egui::Button::new(RichText::new("Send").strong().color(egui::Color32::WHITE))
                    .fill(ui.visuals().selection.bg_fill);
                if ui.add(send).clicked() {
                    submit = true;
                }
            }
            self.check_ui(ui);
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.repeat, "Repeat every");
            ui.add(
                egui::DragValue::new(&mut self.interval_ms)
                    .range(10..=3_600_000)
                    .suffix(" ms"),
            );
            ui.label("for");
            ui.add(egui::DragValue::new(&mut self.times).range(0..=1_000_000));
            ui.label("sends");
            ui.weak("(0: until stopped)").on_hover_text(
                "Placeholders in the topic or text payload are filled in at each send: \
                 {{counter}}, {{timestamp}} (ms since 1970), {{random(1,100)}}",
            );
        });

        self.outcome_ui(ui, session);

        if !submit || self.running.is_some() {
            return None;
        }
        if !connected {
            self.error = Some("Not connected: connect to a broker to publish".to_owned());
            return None;
        }
        if self.repeat {
            // Check the form once now, so a mistake shows at once rather than stopping the repeat.
            if let Err(error) = self.payload_bytes(1) {
                self.error = Some(error);
                return None;
            }
            self.remember();
            self.running = Some(Running {
                next_at: Instant::now(),
                sent: 0,
            });
            ui.ctx().request_repaint();
            return None;
        }
        match self.request(1) {
            Ok(request) => {
                self.sent(&request);
                self.remember();
                Some(request)
            }
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }

    /// Known topics that continue what is typed, to click instead of typing on.
    fn completions_ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        let shape = session.shape_version();
        let fresh = self
            .completions
            .as_ref()
            .is_some_and(|(topic, seen, _)| *topic == self.topic && *seen == shape);
        if !fresh {
            // Only when the text or the tree's shape changed: a level can hold 100k topics.
            let list = session.tree.complete(&self.topic, 8);
            self.completions = Some((self.topic.clone(), shape, list));
        }
        let completions = self
            .completions
            .as_ref()
            .map(|(_, _, list)| list.clone())
            .unwrap_or_default();
        if completions.is_empty() || completions.iter().any(|(t, children)| *t == self.topic && !children) {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.weak("Known:");
            for (topic, has_children) in completions {
                let last = topic.rsplit('/').next().unwrap_or(&topic).to_owned();
                let label = if has_children { format!("{last}/") } else { last };
                if ui.small_button(label).on_hover_text(&topic).clicked() {
                    self.topic = if has_children { format!("{topic}/") } else { topic };
                    self.pinned = true;
                }
            }
        });
    }

    /// A chosen payload file arriving: the dialog's answer, then its bytes read off the UI thread.
    fn poll_file(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle) {
        let Some(loading) = self.loading.take() else { return };
        self.loading = match loading {
            LoadFile::Picking(dialog) => match dialog.poll() {
                Picked::Waiting => Some(LoadFile::Picking(dialog)),
                Picked::Cancelled => None,
                Picked::Unavailable => Some(LoadFile::Typing(PathPrompt::default())),
                Picked::File(path) => Some(LoadFile::Reading(Background::start(ctx, runtime, move || {
                    read_payload_file(path)
                }))),
            },
            typing @ LoadFile::Typing(_) => Some(typing),
            LoadFile::Reading(job) => match job.poll() {
                None => Some(LoadFile::Reading(job)),
                Some(Ok(Ok(file))) => {
                    self.file = Some(file);
                    None
                }
                Some(Ok(Err(error))) => {
                    self.error = Some(error);
                    None
                }
                Some(Err(())) => {
                    self.error = Some("The file could not be read".to_owned());
                    None
                }
            },
        };
    }

    /// Says whether the editor's text will make a valid payload.
    fn check_ui(&mut self, ui: &mut egui::Ui) {
        if self.file.is_some() {
            return;
        }
        match self.encoding {
            Encoding::Text if looks_like_json(&self.payload) => match json::validate(self.payload.as_bytes()) {
                Ok(()) => {
                    if ui.button("Format JSON").clicked() {
                        let rendered = payload::render(self.payload.as_bytes(), Format::Json, usize::MAX);
                        self.payload = rendered.text;
                    }
                    ui.label(RichText::new("Valid JSON").color(theme::ok_color(ui)));
                }
                Err(error) if template::has_placeholders(&self.payload) => {
                    // `{{counter}}` is not JSON until it is filled in: check the filled-in text.
                    let filled = template::fill(&self.payload, Values::now(1), template::random_between);
                    if json::validate(filled.as_bytes()).is_ok() {
                        ui.label(RichText::new("Valid JSON with placeholders").color(theme::ok_color(ui)));
                    } else {
                        self.json_error_ui(ui, &error);
                    }
                }
                Err(error) => self.json_error_ui(ui, &error),
            },
            Encoding::Text => {}
            Encoding::Hex | Encoding::Base64 => match self.payload_bytes(1) {
                Ok(bytes) => {
                    ui.weak(format!("{} bytes", bytes.len()));
                }
                Err(error) => {
                    ui.label(RichText::new(error).color(theme::warn_color(ui)));
                }
            },
        }
    }

    fn json_error_ui(&self, ui: &mut egui::Ui, error: &json::JsonError) {
        ui.label(
            RichText::new(format!(
                "JSON error at line {}, column {}: {}",
                error.line, error.column, error.message
            ))
            .color(theme::warn_color(ui)),
        );
    }

    fn outcome_ui(&self, ui: &mut egui::Ui, session: &Session) {
        if let Some(error) = &self.error {
            ui.label(RichText::new(error).color(theme::error_color(ui)));
            return;
        }
        if let Some(notice) = &self.notice {
            ui.label(RichText::new(notice).color(theme::ok_color(ui)));
        }
        let Some((id, what)) = &self.last else { return };
        let (text, color) = match id.and_then(|id| session.publish_outcome(id.get())) {
            None => (format!("Sending {what}…"), ui.visuals().weak_text_color()),
            Some(PublishOutcome::Sent) => (format!("Sent {what}"), theme::ok_color(ui)),
            Some(PublishOutcome::Acknowledged { packet }) => (
                format!("Sent {what}: the broker acknowledged it ({packet})"),
                theme::ok_color(ui),
            ),
            Some(PublishOutcome::Failed(why)) => (format!("Not sent: {why}"), theme::error_color(ui)),
        };
        ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_file_is_sent_byte_for_byte_and_kept_in_the_history_only_when_small() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("frame.bin");
        let bytes: Vec<u8> = (0..=255).collect();
        std::fs::write(&path, &bytes).expect("write");
        let (read_path, read) = read_payload_file(path.clone()).expect("read");
        assert_eq!((read_path, read.as_ref()), (path.clone(), &bytes[..]));
        assert!(
            read_payload_file(dir.path().join("missing"))
                .expect_err("missing")
                .contains("missing")
        );

        let mut pane = PublishPane {
            topic: "lab/frame".into(),
            payload: "ignored while a file is chosen".into(),
            file: Some((path.clone(), read)),
            ..PublishPane::default()
        };
        let request = pane.request(1).expect("valid");
        assert_eq!(request.payload.as_ref(), &bytes[..]);
        pane.remember();
        let kept = &pane.messages().history[0];
        assert_eq!(
            (kept.encoding, kept.payload.as_str()),
            (Encoding::Base64, encode::to_base64(&bytes).as_str())
        );

        pane.file = Some((path, Bytes::from(vec![0u8; FILE_HISTORY_BYTES + 1])));
        assert!(
            pane.stored(String::new()).is_none(),
            "a big file is not copied into messages.json"
        );
    }

    #[test]
    fn a_wildcard_topic_is_refused_with_a_reason() {
        let mut pane = PublishPane {
            topic: "home/+/set".into(),
            ..PublishPane::default()
        };
        assert!(pane.request(1).expect_err("wildcard").contains("wildcards"));
        pane.topic = "home/lamp/set".into();
        pane.payload = "ON".into();
        let request = pane.request(1).expect("valid");
        assert_eq!(request.payload, Bytes::from_static(b"ON"));
    }

    #[test]
    fn hex_and_base64_payloads_become_bytes() {
        let mut pane = PublishPane {
            topic: "dev/raw".into(),
            payload: "01 ff".into(),
            encoding: Encoding::Hex,
            ..PublishPane::default()
        };
        assert_eq!(pane.request(1).expect("valid").payload, Bytes::from_static(&[1, 0xff]));
        pane.encoding = Encoding::Base64;
        pane.payload = "aGk=".into();
        assert_eq!(pane.request(1).expect("valid").payload, Bytes::from_static(b"hi"));
        pane.payload = "a$".into();
        assert!(pane.request(1).is_err());
    }

    #[test]
    fn a_loaded_binary_message_round_trips_through_hex() {
        let mut pane = PublishPane::default();
        pane.load("dev/raw", &[0, 1, 0xfe], Qos::AtLeastOnce, true);
        assert_eq!(pane.encoding, Encoding::Hex);
        let request = pane.request(1).expect("valid");
        assert_eq!(request.payload, Bytes::from_static(&[0, 1, 0xfe]));
        assert_eq!(
            (request.qos, request.retain, request.topic.as_str()),
            (Qos::AtLeastOnce, true, "dev/raw")
        );
    }

    #[test]
    fn a_repeat_sends_the_asked_number_with_counters_then_stops() {
        let mut pane = PublishPane {
            topic: "lab/tick".into(),
            payload: "n={{counter}}".into(),
            interval_ms: 100,
            times: 3,
            ..PublishPane::default()
        };
        let start = Instant::now();
        pane.running = Some(Running {
            next_at: start,
            sent: 0,
        });
        let mut payloads = Vec::new();
        let mut now = start;
        for _ in 0..10 {
            if let Some(request) = pane.tick(now, true) {
                payloads.push(String::from_utf8_lossy(&request.payload).into_owned());
            }
            now += Duration::from_millis(100);
        }
        assert_eq!(payloads, ["n=1", "n=2", "n=3"]);
        assert!(pane.running.is_none());
        assert!(pane.next_tick(now).is_none(), "no more wake-ups once done");
    }

    #[test]
    fn a_repeat_stops_when_the_connection_is_lost() {
        let mut pane = PublishPane {
            topic: "lab/tick".into(),
            times: 0,
            ..PublishPane::default()
        };
        pane.running = Some(Running {
            next_at: Instant::now(),
            sent: 0,
        });
        assert!(pane.tick(Instant::now(), false).is_none());
        assert!(pane.running.is_none());
        assert!(pane.error.as_deref().is_some_and(|e| e.contains("not connected")));
    }
}
