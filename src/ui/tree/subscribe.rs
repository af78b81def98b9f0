//! A row's subscription items: subscribe to the branch when no subscription brings it yet,
//! or unsubscribe from a filter made for it; a branch some broader filter brings says which.

use super::row::RowAction;
use crate::model::SubscriptionOutcome;
use crate::model::topic::{filter_covers_branch, filter_matches};

/// The subscription items for the row of `topic`, given the broker's answers so far.
pub(super) fn subscription_menu_ui(
    ui: &mut eframe::egui::Ui,
    topic: &str,
    subscriptions: &[SubscriptionOutcome],
) -> Option<RowAction> {
    let mut picked = None;
    let granted = || {
        subscriptions
            .iter()
            .filter(|s| s.granted.is_ok())
            .map(|s| s.filter.as_str())
    };
    let branch = format!("{topic}/#");
    // Filters made for this topic or branch can go; a broader one would take more with it.
    let own: Vec<&str> = granted().filter(|f| *f == topic || *f == branch).collect();
    let broader = granted().find(|f| !own.contains(f) && filter_covers_branch(f, topic));
    match broader {
        Some(filter) => {
            ui.add_enabled(false, eframe::egui::Button::new(format!("Received through {filter}")))
                .on_disabled_hover_text(format!(
                    "The subscription to {filter} brings every topic here; MQTT cannot leave a part of it out"
                ));
        }
        None if !own.contains(&branch.as_str())
            && ui
                .button(format!("Subscribe to {branch}"))
                .on_hover_text("Receive this topic and every topic below it, on this connection")
                .clicked() =>
        {
            picked = Some(RowAction::Subscribe(branch.clone()));
        }
        None => {}
    }
    if broader.is_none() {
        let filter = own.first().map_or(branch.as_str(), |f| *f);
        let (text, hint) = if own.is_empty() {
            (
                format!("Subscribe to {branch} with options…"),
                "Choose the QoS, colour and MQTT 5 options first",
            )
        } else {
            (
                format!("Options of {filter}…"),
                "Change this subscription's QoS, colour or MQTT 5 options",
            )
        };
        if ui.button(text).on_hover_text(hint).clicked() {
            picked = Some(RowAction::SubscribeWithOptions(filter.to_owned()));
        }
    }
    for filter in own {
        let button = ui.button(format!("Unsubscribe from {filter}"));
        let hint = if granted().any(|f| f != filter && filter_matches(f, topic)) {
            "Another subscription still brings this topic"
        } else {
            "Stop receiving these topics; what arrived stays in the tree"
        };
        if button.on_hover_text(hint).clicked() {
            picked = Some(RowAction::Unsubscribe(filter.to_owned()));
        }
    }
    if picked.is_some() {
        ui.close();
    }
    picked
}
