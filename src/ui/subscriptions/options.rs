//! A subscription's controls, shared by the subscribe dialog and the connection editor: its
//! QoS and colour, and the options only MQTT 5 carries (no local, retain as published, retain
//! handling, a subscription identifier), greyed out with the reason on MQTT 3.1.1.

use eframe::egui;

use crate::model::subscription::{MAX_IDENTIFIER, colour_of};
use crate::model::{Qos, RetainHandling, Subscription};

/// The QoS of a subscription as a small menu; `name` names it for screen readers.
pub fn qos_ui(ui: &mut egui::Ui, qos: &mut Qos, salt: impl std::hash::Hash + std::fmt::Debug, name: &str) {
    let combo = egui::ComboBox::from_id_salt(("subscription-qos", salt))
        .width(60.0)
        .selected_text(format!("QoS {qos}"))
        .show_ui(ui, |ui| {
            for level in Qos::ALL {
                ui.selectable_value(qos, level, format!("QoS {level}"));
            }
        });
    combo
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("QoS of {name}")));
}

/// The colour of the subscription at `index` of `subscriptions`, as a button opening a picker;
/// a colour picked is kept on the subscription. Whether it changed.
pub fn colour_ui(ui: &mut egui::Ui, subscriptions: &mut [Subscription], index: usize) -> bool {
    let mut colour = colour_of(subscriptions, index);
    let changed = egui::color_picker::color_edit_button_srgb(ui, &mut colour)
        .on_hover_text("The colour that marks this subscription's messages in the tree and the log")
        .changed();
    if changed && let Some(subscription) = subscriptions.get_mut(index) {
        subscription.colour = Some(colour);
    }
    changed
}

/// The MQTT 5 options of `subscription`, one per line; enabled when `v5`.
pub fn v5_options_ui(
    ui: &mut egui::Ui,
    subscription: &mut Subscription,
    v5: bool,
    salt: impl std::hash::Hash + std::fmt::Debug + Copy,
) {
    ui.add_enabled_ui(v5, |ui| {
        ui.checkbox(&mut subscription.no_local, "No local")
            .on_hover_text("The broker does not send back the messages this connection publishes")
            .on_disabled_hover_text("MQTT 5 only");
        ui.checkbox(&mut subscription.retain_as_published, "Retain as published")
            .on_hover_text(
                "Live messages keep the retain flag they were published with; \
                 off, only the retained messages sent on subscribing are marked retained",
            )
            .on_disabled_hover_text("MQTT 5 only");
        ui.horizontal(|ui| {
            let label = ui.label("Retained");
            let combo = egui::ComboBox::from_id_salt(("retain-handling", salt))
                .selected_text(subscription.retain_handling.label())
                .show_ui(ui, |ui| {
                    for handling in RetainHandling::ALL {
                        ui.selectable_value(&mut subscription.retain_handling, handling, handling.label());
                    }
                });
            combo
                .response
                .labelled_by(label.id)
                .on_hover_text(
                    "When the broker sends the retained messages this filter matches: on every \
                     subscribe, only when the subscription is new, or never",
                )
                .on_disabled_hover_text("MQTT 5 only");
        });
        ui.horizontal(|ui| {
            let mut with_id = subscription.identifier.is_some();
            let toggled = ui
                .checkbox(&mut with_id, "Subscription identifier")
                .on_hover_text(
                    "A number the broker puts on every message this subscription delivers, \
                     so each message says which subscription brought it",
                )
                .on_disabled_hover_text("MQTT 5 only")
                .changed();
            if toggled {
                subscription.identifier = with_id.then_some(subscription.identifier.unwrap_or(1));
            }
            if let Some(id) = &mut subscription.identifier {
                ui.add(egui::DragValue::new(id).range(1..=MAX_IDENTIFIER))
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Subscription identifier"));
            }
        });
    });
    if !v5 {
        ui.weak("No local, retain handling and identifiers need MQTT 5; this connection speaks 3.1.1");
    }
}
