//! The publish pane's request controls: Send and wait for reply (once, or with Repeat), the
//! reply topic and the wait, what the last request became, and the Requests and replies window.

#[allow(clippy::wildcard_imports)]
use super::*;

impl PublishPane {
    /// "Send and wait for reply" was clicked: send the form as a request (or start a repeat
    /// of requests); what goes to the connection now, if anything.
    pub(super) fn wait_submitted(
        &mut self,
        ui: &egui::Ui,
        cx: &PanelContext<'_>,
        commands: &mut Commands,
    ) -> Option<PublishRequest> {
        self.error = None;
        if self.repeat {
            if !cx.link.connected {
                self.error = Some("Not connected: connect to a broker to publish".to_owned());
                return None;
            }
            if let Err(error) = self
                .payload_bytes(1)
                .and_then(|_| self.start_repeat_requests(cx, commands))
            {
                self.error = Some(error);
                return None;
            }
            self.remember();
            self.running = Some(Running {
                next_at: Instant::now(),
                sent: 0,
                waits: true,
            });
            ui.ctx().request_repaint();
            return None;
        }
        let publish = match self.request(1) {
            Ok(publish) => publish,
            Err(error) => {
                self.error = Some(error);
                return None;
            }
        };
        self.remember();
        let reply_topic = self.requests.reply_topic.clone();
        self.send_request(publish, Some(reply_topic), cx, commands)
    }

    /// The reply topic and timeout of requests, and the way to their list.
    pub(super) fn reply_row_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let label = ui.label("Reply topic");
            let hint = if self.v5 {
                format!("{}  (default)", self.requests.next_default_topic())
            } else {
                "where the responder replies (needed with MQTT 3.1.1)".to_owned()
            };
            ui.add(
                egui::TextEdit::singleline(&mut self.requests.reply_topic)
                    .hint_text(hint)
                    .font(egui::TextStyle::Monospace)
                    .desired_width((ui.available_width() - 250.0).clamp(120.0, 420.0)),
            )
            .labelled_by(label.id);
            let label = ui.label("Wait");
            ui.add(
                egui::DragValue::new(&mut self.requests.timeout_secs)
                    .range(0.1..=3600.0)
                    .speed(0.1)
                    .max_decimals(1)
                    .suffix(" s"),
            )
            .labelled_by(label.id)
            .on_hover_text("How long to wait for each reply");
            let count = self.requests.exchanges.len();
            if count > 0 {
                let open = &mut self.requests.window_open;
                if ui.selectable_label(*open, format!("Exchanges ({count})")).clicked() {
                    *open = !*open;
                }
            }
        });
    }

    /// What the last request became, in a line.
    pub(super) fn last_request_ui(&self, ui: &mut egui::Ui) {
        if let Some(last) = self.requests.exchanges.iter().next_back() {
            ui.label(
                RichText::new(format!(
                    "Request #{} to {}: {}",
                    last.id,
                    last.request.topic,
                    last.status_text()
                ))
                .color(ui.visuals().weak_text_color()),
            );
        }
    }

    /// The list of exchanges, when open, and what it asks for.
    pub(super) fn exchanges_ui(&mut self, ctx: &egui::Context, cx: &PanelContext<'_>, commands: &mut Commands) {
        if !self.requests.window_open {
            return;
        }
        let mut open = true;
        let action = exchanges::window_ui(ctx, &mut open, &self.requests.exchanges);
        self.requests.window_open = open;
        match action {
            Some(exchanges::ExchangeAction::Clear) => self.requests.exchanges.clear(),
            Some(exchanges::ExchangeAction::Resend(id)) => {
                let Some(exchange) = self.requests.exchanges.get(id) else {
                    return;
                };
                let publish = PublishRequest {
                    topic: exchange.request.topic.clone(),
                    payload: exchange.request.payload.clone(),
                    qos: exchange.request.qos,
                    retain: false,
                    properties: None,
                };
                let reply_topic = Some(exchange.request.reply_topic.clone());
                if let Some(publish) = self.send_request(publish, reply_topic, cx, commands) {
                    commands.push(TabCommand::Publish(publish));
                }
            }
            None => {}
        }
    }
}
