//! The publish pane: inject a message as if a device had sent it, once or
//! repeatedly, typed as text (JSON checked), hex or base64.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bytes::Bytes;
use eframe::egui::{self, Key, Modifiers, RichText};

use super::dialogs::{OpenFile, Opened};
use super::theme;
use crate::model::template::{self, Values};
use crate::model::{NodeId, PublishOutcome, Qos, Session, topic};
use crate::mqtt::{PublishId, PublishRequest};
use crate::payload::{self, Format, encode, json};
use crate::profiles::messages::{BrokerMessages, Encoding, StoredMessage, StoredProperties};
use crate::ui::context::{Commands, PanelContext, TabCommand};

mod exchanges;
mod feedback;
mod form;
mod library;
mod properties;
mod request;
mod request_form;

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
    /// Whether each send is a request waiting for its reply.
    waits: bool,
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
    loading: OpenFile<PayloadFile>,
    /// Importing saved messages from a JSON lines file, and how the last import went.
    importing: library::Importing,
    /// Requests sent waiting for replies, and the replies.
    requests: request::Requests,
    /// The height the pane is drawn in (its form scrolls when it needs more).
    height: f32,
}

/// A payload file, read whole.
#[derive(Debug)]
struct PayloadFile(PathBuf, Bytes);

impl Opened for PayloadFile {
    const EXAMPLE_PATH: &'static str = "/path/to/payload.bin";

    fn read(path: &std::path::Path) -> Result<Self, String> {
        read_payload_file(path.to_path_buf()).map(|(path, bytes)| Self(path, bytes))
    }
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
            loading: OpenFile::default(),
            importing: library::Importing::default(),
            requests: request::Requests::default(),
            height: 0.0,
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
            properties: self.properties.stored(),
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
        self.properties = properties::PropertiesForm::restored(message.properties.as_ref(), self.properties.unfolded);
        self.pinned = true;
        self.error = None;
    }

    /// Open the pane on `topic`, keeping the rest of the form.
    pub fn set_topic(&mut self, topic: &str) {
        self.open = true;
        self.pinned = true;
        topic.clone_into(&mut self.topic);
        self.error = None;
    }

    /// Put a message in the editor to edit and send again: its topic (pinned),
    /// payload (as text when it is text, else as hex), QoS, retain flag and MQTT 5 properties.
    pub fn load(&mut self, topic: &str, message: &crate::model::Message) {
        let (payload, qos, retain) = (&message.payload[..], message.qos, message.retain);
        let stored = message.properties.as_deref().and_then(StoredProperties::of);
        self.properties = properties::PropertiesForm::restored(stored.as_ref(), self.properties.unfolded);
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
    pub fn save_received(&mut self, topic: &str, message: &crate::model::Message) {
        let (payload, qos, retain) = (&message.payload[..], message.qos, message.retain);
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
            properties: message.properties.as_deref().and_then(StoredProperties::of),
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
        self.requests.published_as(id);
    }

    /// Send the next message of a repeat when it is due. Call every frame.
    pub fn tick(&mut self, now: Instant, connected: bool) -> Option<PublishRequest> {
        let running = self.running?;
        if now < running.next_at || (running.waits && self.requests.holding()) {
            return None;
        }
        if !connected {
            self.running = None;
            self.error = Some(format!("Repeat stopped after {} sends: not connected", running.sent));
            return None;
        }
        let counter = running.sent + 1;
        let request = self.request(counter).and_then(|mut request| {
            if running.waits {
                self.repeat_request(&mut request)?;
            }
            Ok(request)
        });
        match request {
            Ok(request) => {
                self.sent(&request);
                let done = self.times > 0 && counter >= u64::from(self.times);
                // Keep the rhythm, but after a stall (a hidden window) do not send a burst to catch up.
                let next_at = (running.next_at + Duration::from_millis(u64::from(self.interval_ms.max(1)))).max(now);
                self.running = (!done).then_some(Running {
                    next_at,
                    sent: counter,
                    waits: running.waits,
                });
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

    /// Draw the pane. When the user publishes once (button or Ctrl+Enter) and the form is
    /// valid, the request goes on `commands`; a repeat's sends come from [`Self::tick`].
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>, commands: &mut Commands) {
        self.requests_frame(ui.ctx(), cx, commands);
        // As tall as its content up to about the most its panel may take (six tenths of the
        // column under the toolbar); past that the form scrolls rather than being cut.
        let most = ((ui.ctx().content_rect().height() - 140.0) * 0.6)
            .max(ui.available_height())
            .max(120.0);
        self.height = most;
        let scrolled = egui::ScrollArea::vertical()
            .id_salt("publish-form")
            .max_height(most)
            .min_scrolled_height(most)
            .auto_shrink([false, true])
            .show(ui, |ui| self.form_ui(ui, cx, commands));
        if let Some(request) = scrolled.inner {
            commands.push(TabCommand::Publish(request));
        }
        self.exchanges_ui(ui.ctx(), cx, commands);
    }

    /// A chosen payload file arriving: the dialog's answer, then its bytes read off the UI thread.
    fn poll_file(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle) {
        match self.loading.poll(ctx, runtime) {
            Some(Ok(PayloadFile(path, bytes))) => self.file = Some((path, bytes)),
            Some(Err(error)) => self.error = Some(error),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests;
