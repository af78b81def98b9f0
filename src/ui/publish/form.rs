//! The publish pane's form: topic (with completion from the tree), QoS and retain, the payload in its encoding or from a file, MQTT 5 properties, and Publish and Repeat.

#[allow(clippy::wildcard_imports)]
use super::*;

impl PublishPane {
    pub(super) fn form_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &PanelContext<'_>,
        commands: &mut Commands,
    ) -> Option<PublishRequest> {
        let (session, selected, connected, runtime) = (cx.session, cx.selected, cx.link.connected, cx.runtime);
        self.poll_file(ui.ctx(), runtime);
        self.v5 = cx.link.is_v5();
        // Ctrl+Enter publishes from anywhere in the pane, before the editor can take the Enter.
        let mut submit = ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Enter));
        let mut wait = false;
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
        self.library_ui(ui, cx);
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
            if self.loading.is_waiting() {
                ui.spinner();
            } else if ui
                .button("From file…")
                .on_hover_text("Send a file's bytes, exactly, as the payload")
                .clicked()
            {
                self.loading.start(ui.ctx(), cx.dialogs, runtime, "Payload file", &[]);
                self.error = None;
            }
        });
        self.loading.ui(ui, runtime);
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
            // (and the reply topic row, and what the last request became).
            let below = if self.v5 && self.properties.unfolded {
                365.0
            } else {
                185.0
            };
            let left = self.height - (ui.cursor().top() - ui.max_rect().top());
            let rows = ((left - below) / 16.0).clamp(2.0, 20.0) as usize;
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
                    .fill(crate::ui::theme::primary_fill(ui));
                if ui.add(send).clicked() {
                    submit = true;
                }
                if ui
                    .button("Send and wait for reply")
                    .on_hover_text("Send as a request, and pair the reply that comes back on the reply topic")
                    .clicked()
                {
                    wait = true;
                }
            }
            self.check_ui(ui);
        });
        self.reply_row_ui(ui);
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

        self.last_request_ui(ui);
        self.outcome_ui(ui, session);

        if wait && self.running.is_none() {
            return self.wait_submitted(ui, cx, commands);
        }
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
                waits: false,
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
    pub(super) fn completions_ui(&mut self, ui: &mut egui::Ui, session: &Session) {
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
}
