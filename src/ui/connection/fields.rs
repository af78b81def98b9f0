//! The editor's rows: a profile in the list, path fields, optional numbers, the last will, MQTT 5 options and subscriptions.

#[allow(clippy::wildcard_imports)]
use super::*;

/// One profile in the list: its name, and its broker below in small type.
pub(super) fn profile_row(ui: &mut egui::Ui, profile: &Profile, selected: bool, height: f32) -> egui::Response {
    let name = if profile.name.trim().is_empty() {
        "(no name)"
    } else {
        profile.name.as_str()
    };
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::click());
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, name));
    if ui.is_rect_visible(rect) {
        let visuals = ui.visuals();
        let painter = ui.painter();
        if selected {
            painter.rect_filled(rect, 4.0, visuals.selection.bg_fill);
        } else if response.hovered() {
            painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
        }
        let text = if selected {
            visuals.selection.stroke.color
        } else {
            visuals.strong_text_color()
        };
        let weak = if selected {
            visuals.selection.stroke.color.gamma_multiply(0.8)
        } else {
            visuals.weak_text_color()
        };
        let clip = painter.with_clip_rect(rect.shrink(2.0));
        clip.text(
            rect.left_top() + egui::vec2(8.0, 5.0),
            egui::Align2::LEFT_TOP,
            name,
            egui::FontId::proportional(14.0),
            text,
        );
        clip.text(
            rect.left_top() + egui::vec2(8.0, 23.0),
            egui::Align2::LEFT_TOP,
            &profile.broker,
            egui::FontId::proportional(11.0),
            weak,
        );
    }
    response.on_hover_text(&profile.broker)
}

/// The proxy rows: none, HTTP or SOCKS5; then the proxy's host, port and optional login.
/// Returns whether Enter was pressed in the proxy password (to connect, as in the broker's).
pub(super) fn proxy_rows(ui: &mut egui::Ui, profile: &mut Profile, passwords: &mut Passwords) -> bool {
    let proxy = &mut profile.proxy;
    let label = ui.label("Proxy");
    ui.horizontal(|ui| {
        ui.radio_value(&mut proxy.kind, None, "None")
            .on_hover_text("Connect to the broker directly");
        for kind in ProxyKind::ALL {
            let hover = match kind {
                ProxyKind::Http => "Through an HTTP proxy that opens tunnels (CONNECT)",
                ProxyKind::Socks5 => "Through a SOCKS5 proxy, which also looks up the broker's name",
            };
            ui.radio_value(&mut proxy.kind, Some(kind), kind.label())
                .on_hover_text(hover);
        }
    })
    .response
    .labelled_by(label.id);
    ui.end_row();
    let Some(kind) = proxy.kind else {
        return false;
    };

    let label = ui.label("Proxy host");
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut proxy.host)
                .hint_text("proxy.example.com")
                .desired_width(FIELD_WIDTH - 100.0),
        )
        .labelled_by(label.id);
        let port_label = ui.label("Port");
        let mut port = proxy.port.map(|p| p.to_string()).unwrap_or_default();
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut port)
                    .hint_text(kind.default_port().to_string())
                    .char_limit(5)
                    .desired_width(56.0),
            )
            .labelled_by(port_label.id)
            .on_hover_text(format!(
                "{} proxies usually listen on {}: left empty, that one is used",
                kind.label(),
                kind.default_port()
            ));
        if response.changed() {
            // Only a port number is taken; another keystroke leaves the field as it was.
            let digits: String = port.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() {
                proxy.port = None;
            } else if let Ok(number) = digits.parse::<u16>() {
                proxy.port = Some(number).filter(|p| *p > 0);
            }
        }
    });
    ui.end_row();

    let label = ui.label("Proxy user");
    ui.add(
        egui::TextEdit::singleline(&mut proxy.username)
            .hint_text("optional")
            .desired_width(FIELD_WIDTH),
    )
    .labelled_by(label.id);
    ui.end_row();

    if profile.proxy.username.trim().is_empty() {
        return false;
    }
    let label = ui.label("Proxy password");
    let password = passwords.proxy_ui(ui, profile, FIELD_WIDTH, label.id);
    ui.end_row();
    password.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

pub(super) const NO_DIALOG: &str = "No file dialog is available on this system: type the file's path instead";

/// A row with a path field and Browse…; returns the field when Browse… was pressed.
pub(super) fn path_row(
    ui: &mut egui::Ui,
    label: &str,
    path: &mut Option<PathBuf>,
    field: PathField,
    empty_hint: &str,
) -> Option<PathField> {
    let label = ui.label(label);
    let mut browse = None;
    ui.horizontal(|ui| {
        let mut text = path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text(empty_hint)
                    .desired_width(FIELD_WIDTH - 80.0),
            )
            .labelled_by(label.id);
        if edit.changed() {
            *path = Some(PathBuf::from(text.trim())).filter(|p| !p.as_os_str().is_empty());
        }
        if ui.button("Browse…").clicked() {
            browse = Some(field);
        }
    });
    ui.end_row();
    browse
}

/// An optional number as a DragValue where 0 means "not set".
fn optional_number<T>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Option<T>,
    (max, suffix): (T, &str),
    unset: &str,
    hover: &str,
) where
    T: egui::emath::Numeric + Default + PartialEq,
{
    let label = ui.label(label);
    let mut number = value.unwrap_or_default();
    ui.horizontal(|ui| {
        let response = ui
            .add(
                egui::DragValue::new(&mut number)
                    .range(T::from_f64(0.0)..=max)
                    .suffix(suffix),
            )
            .labelled_by(label.id)
            .on_hover_text(hover);
        if response.changed() {
            *value = Some(number).filter(|n| *n != T::default());
        }
        if value.is_none() {
            ui.weak(unset);
        }
    });
    ui.end_row();
}

/// The last will: off, or topic, payload, QoS and retain.
pub(super) fn last_will_rows(ui: &mut egui::Ui, will: &mut Option<LastWill>) {
    ui.label("");
    let mut on = will.is_some();
    if ui
        .checkbox(&mut on, "Last will")
        .on_hover_text("A message the broker publishes if this connection ends without a goodbye")
        .changed()
    {
        *will = on.then(LastWill::default);
    }
    ui.end_row();
    let Some(will) = will else { return };
    let label = ui.label("Will topic");
    ui.add(
        egui::TextEdit::singleline(&mut will.topic)
            .hint_text("for example: devices/mqscope/status")
            .desired_width(FIELD_WIDTH),
    )
    .labelled_by(label.id);
    ui.end_row();
    let label = ui.label("Will payload");
    ui.add(
        egui::TextEdit::singleline(&mut will.payload)
            .hint_text("for example: offline")
            .desired_width(FIELD_WIDTH),
    )
    .labelled_by(label.id);
    ui.end_row();
    ui.label("Will QoS");
    ui.horizontal(|ui| {
        for qos in Qos::ALL {
            ui.radio_value(&mut will.qos, qos, qos.to_string());
        }
        ui.add_space(12.0);
        ui.checkbox(&mut will.retain, "Retain");
    });
    ui.end_row();
}

/// MQTT 5 CONNECT options: session expiry, receive maximum, maximum packet size, user properties.
pub(super) fn v5_rows(ui: &mut egui::Ui, v5: &mut V5Options) {
    optional_number(
        ui,
        "Session expiry",
        &mut v5.session_expiry_secs,
        (u32::MAX, " s"),
        "0: ends with the connection",
        "Seconds the broker keeps the session after the connection ends",
    );
    optional_number(
        ui,
        "Receive maximum",
        &mut v5.receive_maximum,
        (u16::MAX, ""),
        "0: no limit (65,535)",
        "QoS 1 and 2 messages the broker may send before waiting for acknowledgements",
    );
    optional_number(
        ui,
        "Maximum packet size",
        &mut v5.maximum_packet_size,
        (268_435_455, " B"),
        "0: MQTT's limit (256 MiB)",
        "The largest packet, in bytes, the broker may send",
    );
    let label = ui.label("User properties");
    let mut text: String = v5
        .user_properties
        .iter()
        .map(|(name, value)| format!("{name}={value}\n"))
        .collect();
    if ui
        .add(
            egui::TextEdit::multiline(&mut text)
                .desired_rows(2)
                .hint_text("name=value, one a line")
                .desired_width(FIELD_WIDTH)
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(label.id)
        .changed()
    {
        v5.user_properties = parse_user_properties(&text);
    }
    ui.end_row();
}

/// `name=value` lines as user properties (a line without `=` is a name with an empty value).
pub(crate) fn parse_user_properties(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| match line.split_once('=') {
            Some((name, value)) => (name.trim().to_owned(), value.trim().to_owned()),
            None => (line.trim().to_owned(), String::new()),
        })
        .collect()
}

pub(super) fn subscriptions_ui(ui: &mut egui::Ui, subscriptions: &mut Vec<Subscription>, v5: bool) {
    use crate::ui::subscriptions::options;
    let mut remove = None;
    for i in 0..subscriptions.len() {
        let name = format!("subscription {}", i + 1);
        let open_id = ui.scope_id().with(("subscription-options", i));
        let mut open = ui.data(|d| d.get_temp::<bool>(open_id)).unwrap_or(false);
        ui.horizontal(|ui| {
            if let Some(subscription) = subscriptions.get_mut(i) {
                ui.add(
                    egui::TextEdit::singleline(&mut subscription.filter)
                        .desired_width(FIELD_WIDTH - 190.0)
                        .hint_text("topic filter"),
                )
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("Subscription {}", i + 1))
                });
                options::qos_ui(ui, &mut subscription.qos, i, &name);
            }
            options::colour_ui(ui, subscriptions, i);
            let summary = subscriptions
                .get(i)
                .map(Subscription::options_summary)
                .unwrap_or_default();
            let hint = if summary.is_empty() {
                "MQTT 5 options: no local, retain as published, retain handling, identifier".to_owned()
            } else {
                summary
            };
            if ui.selectable_label(open, "Options").on_hover_text(hint).clicked() {
                open = !open;
                ui.data_mut(|d| d.insert_temp(open_id, open));
            }
            if ui.small_button("×").on_hover_text("Remove this subscription").clicked() {
                remove = Some(i);
            }
        });
        if open && let Some(subscription) = subscriptions.get_mut(i) {
            ui.indent(("subscription-options-rows", i), |ui| {
                options::v5_options_ui(ui, subscription, v5, ("editor", i));
            });
        }
        if let Some(error) = subscriptions
            .get(i)
            .filter(|s| !s.filter.is_empty())
            .and_then(Subscription::error)
        {
            ui.colored_label(crate::ui::theme::error_color(ui), error);
        }
    }
    if let Some(i) = remove {
        crate::model::subscription::settle_colours(subscriptions);
        subscriptions.remove(i);
    }
    if ui.button("Add subscription").clicked() {
        let colour = crate::model::subscription::next_colour(subscriptions);
        subscriptions.push(Subscription {
            colour: Some(colour),
            ..Subscription::new("")
        });
    }
}
