//! The tab's subscriptions, above the tree: one chip per filter in its colour, with the
//! broker's answer (granted QoS, refused and why, or waiting), each opening a menu (options,
//! its messages in the log, unsubscribe), and *Subscribe…*, which opens the subscribe dialog:
//! the filter, QoS, colour and MQTT 5 options of a new subscription or of one to change
//! (subscribing again to a filter replaces its subscription at the broker).

pub mod marks;
pub mod options;

use eframe::egui;

use crate::model::subscription::{colour_of, next_colour};
use crate::model::{Qos, Subscription, SubscriptionOutcome};
use crate::ui::context::{Commands, PanelContext, TabCommand};
use crate::ui::theme;

/// The subscriptions line and its dialog.
#[derive(Default)]
pub struct SubscriptionsPanel {
    dialog: Option<Dialog>,
}

/// A subscription being made or changed.
struct Dialog {
    draft: Subscription,
    /// The filter of the subscription changed; none for a new one.
    editing: Option<String>,
    /// Whether the filter field still has to take the keyboard (a new subscription's first frame).
    focus: bool,
}

/// What the broker said of a subscription, in words for its chip.
enum Answer<'a> {
    Granted(Qos),
    Refused(&'a str),
    Waiting,
}

fn answer<'a>(outcomes: &'a [SubscriptionOutcome], filter: &str) -> Answer<'a> {
    match outcomes.iter().find(|o| o.filter == filter) {
        Some(SubscriptionOutcome { granted: Ok(qos), .. }) => Answer::Granted(*qos),
        Some(SubscriptionOutcome {
            granted: Err(reason), ..
        }) => Answer::Refused(reason),
        None => Answer::Waiting,
    }
}

impl SubscriptionsPanel {
    /// Open the dialog for `filter`: its subscription's options when the tab has one, else a
    /// new subscription to it.
    pub fn ask(&mut self, filter: &str, subscriptions: &[Subscription]) {
        self.dialog = Some(match subscriptions.iter().position(|s| s.filter == filter) {
            Some(index) => Self::editing(subscriptions, index),
            None => Dialog {
                draft: Subscription {
                    colour: Some(next_colour(subscriptions)),
                    ..Subscription::new(filter)
                },
                editing: None,
                focus: true,
            },
        });
    }

    fn editing(subscriptions: &[Subscription], index: usize) -> Dialog {
        let mut draft = subscriptions
            .get(index)
            .cloned()
            .unwrap_or_else(|| Subscription::new(""));
        draft.colour = Some(colour_of(subscriptions, index));
        Dialog {
            editing: Some(draft.filter.clone()),
            draft,
            focus: false,
        }
    }

    /// The line of chips, one per subscription of the tab, and *Subscribe…*.
    pub fn bar_ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>, commands: &mut Commands) {
        let outcomes = cx.session.subscriptions();
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            ui.label("Subscriptions").on_hover_text(
                "What this connection subscribes to; each colour marks the messages its filter brought, \
                 on the tree's rows and the log's lines",
            );
            for (index, subscription) in cx.subscriptions.iter().enumerate() {
                let [r, g, b] = colour_of(cx.subscriptions, index);
                let colour = egui::Color32::from_rgb(r, g, b);
                self.chip_ui(
                    ui,
                    subscription,
                    colour,
                    answer(outcomes, &subscription.filter),
                    cx,
                    commands,
                    index,
                );
            }
            let add = ui
                .small_button("Subscribe…")
                .on_hover_text("Subscribe to another filter, with its QoS, colour and MQTT 5 options");
            if add.clicked() {
                self.ask("", cx.subscriptions);
            }
        });
    }

    #[expect(clippy::too_many_arguments, reason = "one chip's parts, drawn in one place")]
    fn chip_ui(
        &mut self,
        ui: &mut egui::Ui,
        subscription: &Subscription,
        colour: egui::Color32,
        answer: Answer<'_>,
        cx: &PanelContext<'_>,
        commands: &mut Commands,
        index: usize,
    ) {
        let filter = &subscription.filter;
        let mut job = egui::text::LayoutJob::default();
        let font = egui::TextStyle::Body.resolve(ui.style());
        let text = ui.visuals().text_color();
        // Room on the left for the colour's dot, painted once the chip is laid out.
        let dot_room = 14.0;
        let shown = crate::ui::text::ellipsis(filter, 40);
        match answer {
            Answer::Refused(_) => job.append(
                &shown,
                dot_room,
                egui::TextFormat {
                    strikethrough: egui::Stroke::new(1.0, theme::error_color(ui)),
                    ..egui::TextFormat::simple(font.clone(), theme::error_color(ui))
                },
            ),
            _ => job.append(&shown, dot_room, egui::TextFormat::simple(font.clone(), text)),
        }
        let note = match answer {
            Answer::Granted(Qos::AtMostOnce) if subscription.qos == Qos::AtMostOnce => String::new(),
            Answer::Granted(qos) => format!(" QoS {qos}"),
            Answer::Refused(_) => " refused".to_owned(),
            Answer::Waiting if cx.link.connected => " …".to_owned(),
            Answer::Waiting => String::new(),
        };
        if !note.is_empty() {
            job.append(
                &note,
                0.0,
                egui::TextFormat::simple(font, ui.visuals().weak_text_color()),
            );
        }
        let response = ui.menu_button(job, |ui| {
            let state = match answer {
                Answer::Granted(granted) if granted < subscription.qos => {
                    format!("Granted QoS {granted} (asked {})", subscription.qos)
                }
                Answer::Granted(granted) => format!("Granted QoS {granted}"),
                Answer::Refused(reason) => format!("Refused: {reason}"),
                Answer::Waiting if cx.link.connected => "Waiting for the broker's answer".to_owned(),
                Answer::Waiting => "Subscribed to once connected".to_owned(),
            };
            ui.label(egui::RichText::new(filter).monospace());
            ui.weak(state);
            let options = subscription.options_summary();
            if !options.is_empty() {
                ui.weak(options);
            }
            ui.separator();
            if ui.button("Options and colour…").clicked() {
                self.dialog = Some(Self::editing(cx.subscriptions, index));
                ui.close();
            }
            if ui
                .button("Show its topics in the log")
                .on_hover_text("Open the log showing only the messages this filter matches")
                .clicked()
            {
                commands.push(TabCommand::LogOnly(filter.clone()));
                ui.close();
            }
            if ui
                .button("Unsubscribe")
                .on_hover_text("Stop receiving these topics; what arrived stays in the tree")
                .clicked()
            {
                commands.push(TabCommand::Unsubscribe(filter.clone()));
                ui.close();
            }
        });
        let chip = response.response.rect;
        let dot = egui::pos2(
            chip.left() + ui.spacing().button_padding.x + dot_room / 2.0 - 1.0,
            chip.center().y,
        );
        ui.painter().circle_filled(dot, 4.5, colour);
        response
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Subscription {filter}")));
    }

    /// The subscribe dialog, when open.
    pub fn dialog_ui(&mut self, ctx: &egui::Context, cx: &PanelContext<'_>, commands: &mut Commands) {
        let Some(dialog) = &mut self.dialog else {
            return;
        };
        let mut open = true;
        let mut done = false;
        let title = if dialog.editing.is_some() {
            "Subscription options"
        } else {
            "New subscription"
        };
        egui::Window::new(title)
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                done = dialog_body_ui(ui, dialog, cx, commands);
            });
        if !open || done {
            self.dialog = None;
        }
    }
}

/// The dialog's fields and buttons; whether it is done with.
fn dialog_body_ui(ui: &mut egui::Ui, dialog: &mut Dialog, cx: &PanelContext<'_>, commands: &mut Commands) -> bool {
    let draft = &mut dialog.draft;
    let mut submit = false;
    egui::Grid::new("subscribe-dialog")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label("Topic filter");
            if dialog.editing.is_some() {
                ui.label(egui::RichText::new(&draft.filter).monospace());
            } else {
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut draft.filter)
                            .hint_text("home/+/temperature or sensors/#")
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut dialog.focus) {
                    field.request_focus();
                }
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    submit = true;
                }
            }
            ui.end_row();
            ui.label("QoS");
            ui.horizontal(|ui| {
                options::qos_ui(ui, &mut draft.qos, "dialog", "the subscription");
                ui.add_space(12.0);
                let label = ui.label("Colour");
                let mut colour = draft.colour.unwrap_or(next_colour(cx.subscriptions));
                if egui::color_picker::color_edit_button_srgb(ui, &mut colour)
                    .labelled_by(label.id)
                    .on_hover_text("The colour that marks this subscription's messages in the tree and the log")
                    .changed()
                {
                    draft.colour = Some(colour);
                }
            });
            ui.end_row();
            ui.label("MQTT 5");
            ui.vertical(|ui| options::v5_options_ui(ui, draft, cx.link.is_v5(), "dialog"));
            ui.end_row();
        });
    let error = if draft.filter.is_empty() {
        Some("Type a topic filter".to_owned())
    } else {
        draft.error()
    };
    if let Some(error) = &error
        && !draft.filter.is_empty()
    {
        ui.colored_label(theme::error_color(ui), error);
    }
    if !cx.link.connected {
        ui.weak("Not connected: subscribed to once connected");
    }
    let unchanged = dialog
        .editing
        .as_ref()
        .and_then(|filter| cx.subscriptions.iter().find(|s| &s.filter == filter))
        .is_some_and(|s| *s == *draft);
    let verb = if dialog.editing.is_some() {
        "Subscribe again with these options"
    } else {
        "Subscribe"
    };
    let mut done = false;
    ui.horizontal(|ui| {
        let button = ui.add_enabled(error.is_none() && !unchanged, egui::Button::new(verb));
        let button = if dialog.editing.is_some() {
            button.on_hover_text(
                "The broker replaces the subscription; with retain handling 0 it sends the retained messages again",
            )
        } else {
            button
        };
        if button.clicked() || (submit && error.is_none()) {
            commands.push(TabCommand::Subscribe(draft.clone()));
            done = true;
        }
        if ui.button("Cancel").clicked() {
            done = true;
        }
    });
    done
}
