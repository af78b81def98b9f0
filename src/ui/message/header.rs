//! The top of the panel: the topic's full name, what can be done with it, and the shown
//! message's metadata (MQTT 5 properties included).

use eframe::egui::{self, RichText};

use crate::model::{Message, Node, NodeId};
use crate::payload::{self, text::human_bytes};
use crate::ui::compare::Pins;
use crate::ui::context::{Commands, TabCommand};
use crate::ui::text::format_time;

/// The topic's name and its buttons (copy, edit and resend, save, pin, clear retained);
/// `viewing` is the message picked from the history, if one is.
pub fn header_ui(
    ui: &mut egui::Ui,
    id: NodeId,
    node: &Node,
    topic: &str,
    viewing: Option<u64>,
    pins: &Pins,
    commands: &mut Commands,
) {
    ui.add(egui::Label::new(RichText::new(topic).monospace().strong().size(14.0)).wrap());
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Copy topic")
            .on_hover_text("Copy the full topic name")
            .clicked()
        {
            ui.ctx().copy_text(topic.to_owned());
        }
        if node.latest().is_some()
            && ui
                .button("Edit and resend")
                .on_hover_text("Put this message in the publish pane, to change it and send it again")
                .clicked()
        {
            commands.push(TabCommand::LoadIntoPublish { id, seq: viewing });
        }
        if node.latest().is_some()
            && ui
                .button("Save message")
                .on_hover_text("Keep this message, under its topic's name, with the publish pane's saved messages")
                .clicked()
        {
            commands.push(TabCommand::SaveToLibrary { id, seq: viewing });
        }
        if node.latest().is_some() {
            let pinned = pins.is_pinned(topic);
            let (text, hover) = if pinned {
                ("Unpin", "Take this topic out of the pinned topics' table")
            } else {
                (
                    "Pin to compare",
                    "Show this topic in the pinned topics' table, beside others",
                )
            };
            if ui.button(text).on_hover_text(hover).clicked() {
                commands.push(if pinned {
                    TabCommand::Unpin(topic.to_owned())
                } else {
                    TabCommand::Pin(id)
                });
            }
        }
        if node.is_retained()
            && ui
                .button("Clear retained…")
                .on_hover_text("Delete this topic's retained message from the broker")
                .clicked()
        {
            commands.push(TabCommand::ClearRetained { id, recursive: false });
        }
        if node.has_children()
            && ui
                .button("Clear retained below…")
                .on_hover_text("Delete the retained messages of this topic and every topic below it")
                .clicked()
        {
            commands.push(TabCommand::ClearRetained { id, recursive: true });
        }
    });
}

/// The shown message's QoS, retain flag, time, size, the topic's message count, and its MQTT 5
/// properties. `v5`: the connection speaks MQTT 5 (its subscriptions keep the retain flag as
/// published, so a clear flag means not retained).
pub fn metadata_ui(ui: &mut egui::Ui, message: &Message, messages: u64, v5: bool) {
    // Two short facts a row: QoS and retained, received, size and count.
    egui::Grid::new("message-metadata")
        .num_columns(4)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.weak("QoS");
            ui.label(message.qos.to_string());
            ui.weak("Retained");
            if message.retain {
                ui.label("yes");
            } else if v5 {
                ui.label("no");
            } else {
                ui.label("not known").on_hover_text(
                    "MQTT 3.1.1 delivers a message published with retain while subscribed without its \
                     retain flag, so the broker may hold it. Clear retained… asks the broker; MQTT 5 \
                     connections tell.",
                );
            }
            ui.end_row();
            ui.weak("Received");
            ui.label(format_time(message.received_at));
            ui.end_row();
            ui.weak("Size");
            let size = message.size_bytes();
            if size < 1024 {
                ui.label(format!("{size} bytes"));
            } else {
                ui.label(human_bytes(size as u64))
                    .on_hover_text(format!("{} bytes", payload::text::group_digits(size as u64)));
            }
            ui.weak("Messages");
            ui.label(payload::text::group_digits(messages));
            ui.end_row();
        });
    if let Some(properties) = &message.properties {
        // Long values: a grid of their own, as wide as the panel.
        egui::Grid::new("message-properties")
            .num_columns(2)
            .spacing([16.0, 4.0])
            .show(ui, |ui| properties_rows(ui, properties));
    }
}

/// The MQTT 5 properties of a message, one row each (user properties in the order sent).
pub(crate) fn properties_rows(ui: &mut egui::Ui, p: &crate::model::Properties) {
    let mut row = |name: &str, value: String| {
        ui.weak(name);
        ui.add(egui::Label::new(RichText::new(value).monospace()).truncate());
        ui.end_row();
    };
    if let Some(content_type) = &p.content_type {
        row("Content type", content_type.clone());
    }
    if let Some(format) = p.payload_format_indicator {
        row(
            "Payload format",
            match format {
                0 => "0 (bytes)".to_owned(),
                1 => "1 (UTF-8 text)".to_owned(),
                other => format!("{other} (not defined)"),
            },
        );
    }
    if let Some(topic) = &p.response_topic {
        row("Response topic", topic.clone());
    }
    if let Some(data) = &p.correlation_data {
        let shown = if payload::text::is_plain_text(data) {
            format!("\"{}\"", String::from_utf8_lossy(data))
        } else {
            payload::encode::to_hex(data)
        };
        row("Correlation data", shown);
    }
    if let Some(secs) = p.message_expiry_secs {
        row("Expires in", format!("{secs} s (when sent)"));
    }
    if !p.subscription_identifiers.is_empty() {
        let ids: Vec<String> = p.subscription_identifiers.iter().map(usize::to_string).collect();
        row("Subscription ids", ids.join(", "));
    }
    if let Some(alias) = p.topic_alias {
        row("Topic alias", alias.to_string());
    }
    for (name, value) in &p.user_properties {
        row(&format!("User: {name}"), value.clone());
    }
}
