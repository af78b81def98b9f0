//! One row of the tree: expander, name, retained mark, counts, a one-line preview of the latest value, the fading highlight, and the row's menu.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) enum RowAction {
    None,
    Select,
    Toggle,
    SelectAndToggle,
    Pin,
    /// Give the branch its own order, or let it follow the top level's.
    Sort(Option<SortOrder>),
    /// Copy the full topic name.
    CopyTopic,
    /// Copy the latest payload as text.
    CopyValue,
    /// Put the topic (and its latest message) in the publish pane.
    PublishTo,
    /// Clear the topic's retained message, or (`true`) every one at and below it.
    ClearRetained(bool),
    /// Open every branch below this one.
    ExpandBelow,
    /// Open this branch and the branches below it, this many levels deep.
    ExpandLevels(usize),
    /// Close this branch and every one below it.
    CollapseBelow,
    /// Subscribe to this filter on this connection.
    Subscribe(String),
    /// Open the subscribe dialog for this filter.
    SubscribeWithOptions(String),
    /// Unsubscribe from this filter.
    Unsubscribe(String),
    /// Chart a number of the topic's payloads (`None`: the payload itself) with the selected topic's.
    AddToChart(Option<String>),
    /// Open the log showing only this MQTT filter's messages.
    LogOnly(String),
    /// Export the latest value of every topic at and below this one.
    ExportBranch,
}

/// How a row is drawn, besides what it shows.
pub(super) struct RowState<'a> {
    pub(super) selected: bool,
    pub(super) expanded: bool,
    /// The branch's own order, if it has one.
    pub(super) own_sort: Option<SortOrder>,
    /// The top level's order, which branches without their own follow.
    pub(super) default_sort: SortOrder,
    /// The broker's answers to the subscriptions, for the menu's subscription items.
    pub(super) subscriptions: &'a [crate::model::SubscriptionOutcome],
    /// The colours of the subscriptions that delivered each row's latest message.
    pub(super) marks: crate::ui::subscriptions::marks::Marks<'a>,
    /// The tree, for what the row's menu needs to know (the full topic name).
    pub(super) tree: &'a crate::model::Tree,
}

/// The words for an order, in the sort control and the branch menu.
pub(super) fn sort_label(order: SortOrder) -> &'static str {
    match order {
        SortOrder::Name => "Name",
        SortOrder::Messages => "Messages",
        SortOrder::Activity => "Latest activity",
    }
}

/// A row's context menu. Returns what was picked.
pub(super) fn row_menu_ui(ui: &mut egui::Ui, state: &RowState<'_>) -> Option<RowAction> {
    let mut picked = None;
    if ui.button("Expand all below").clicked() {
        picked = Some(RowAction::ExpandBelow);
    }
    if ui.button("Collapse all below").clicked() {
        picked = Some(RowAction::CollapseBelow);
    }
    ui.menu_button("Expand to level", |ui| {
        for levels in 1..=3 {
            let text = if levels == 1 {
                "1 level".to_owned()
            } else {
                format!("{levels} levels")
            };
            if ui.button(text).clicked() {
                picked = Some(RowAction::ExpandLevels(levels));
            }
        }
    });
    ui.separator();
    ui.menu_button("Sort by", |ui| {
        for order in SortOrder::ALL {
            if ui.radio(state.own_sort == Some(order), sort_label(order)).clicked() {
                picked = Some(RowAction::Sort(Some(order)));
            }
        }
        ui.separator();
        let follow = format!("As the top level ({})", sort_label(state.default_sort).to_lowercase());
        if ui.radio(state.own_sort.is_none(), follow).clicked() {
            picked = Some(RowAction::Sort(None));
        }
    });
    if picked.is_some() {
        ui.close();
    }
    picked
}

/// Longest node name drawn, in chars (a 64 KiB level name is cut at paint time).
const MAX_NAME_CHARS: usize = 200;
pub(super) const PREVIEW_CHARS: usize = 160;

pub(super) fn row_ui(
    ui: &mut egui::Ui,
    node: &RowData<'_>,
    preview_text: Option<String>,
    row: Row,
    state: &RowState<'_>,
    now: SystemTime,
    wake: &mut Option<std::time::Duration>,
) -> RowAction {
    let selected = state.selected;
    let width = ui.available_width().max(200.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, theme::TREE_ROW_HEIGHT), Sense::hover());
    // An id tied to the node, not to the position, so hover and double-click survive scrolling and new rows.
    let response = ui.interact(rect, ui.scope_id().with(("topic-row", row.id)), Sense::click());
    let name = if node.name.is_empty() { "(empty)" } else { node.name };
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();

    if selected {
        painter.rect_filled(rect, 2.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        painter.rect_filled(rect, 2.0, visuals.widgets.hovered.weak_bg_fill);
    }
    if let Some(latest) = node.latest {
        // A clock that stepped back makes the message look old, never forever new.
        let age = now
            .duration_since(latest.received_at)
            .map_or(f32::INFINITY, |age| age.as_secs_f32());
        // News flashes, and fades in a few steps: a new value after a quiet spell. A repeated
        // payload does not, nor a busy topic's every change (its activity dot says it is busy).
        if node.news && age < theme::HIGHLIGHT_SECS {
            painter.rect_filled(rect, 2.0, theme::highlight(ui, 1.0 - age / theme::HIGHLIGHT_SECS));
            soonest(wake, theme::LIVE_FRAME);
        }
    }

    if let Some(latest) = node.latest
        && state.marks.shown()
    {
        // Which subscription brought the latest message.
        state
            .marks
            .paint(&painter, rect, &state.tree.topic(row.id), latest.properties.as_deref());
    }

    let text_color = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let weak = visuals.weak_text_color();
    let body = FontId::proportional(13.5);
    let mono = TextStyle::Monospace.resolve(ui.style());
    let mid_y = rect.center().y;
    let mut x = rect.left() + 4.0 + f32::from(row.depth) * theme::TREE_INDENT;

    let mut action = RowAction::None;
    if node.has_children {
        let arrow_rect = egui::Rect::from_center_size(egui::pos2(x + 7.0, mid_y), egui::vec2(16.0, 18.0));
        let arrow = ui.interact(arrow_rect, response.id.with("expander"), Sense::click());
        let verb = if state.expanded { "Collapse" } else { "Expand" };
        arrow.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{verb} {name}")));
        let color = if arrow.hovered() {
            visuals.strong_text_color()
        } else {
            weak
        };
        painter.add(expander_shape(arrow_rect.center(), state.expanded, color));
        if arrow.clicked() {
            action = RowAction::Toggle;
        }
    }
    x += 18.0;

    let shown_name = match name.char_indices().nth(MAX_NAME_CHARS) {
        Some((cut, _)) => name.get(..cut).unwrap_or(name),
        None => name,
    };
    let name_color = if node.name.is_empty() { weak } else { text_color };
    let name_rect = painter.text(
        egui::pos2(x, mid_y),
        Align2::LEFT_CENTER,
        shown_name,
        body.clone(),
        name_color,
    );
    x = name_rect.right() + 6.0;
    if node.retained {
        // A small "R": the broker holds a retained message for this topic.
        let badge = painter.text(
            egui::pos2(x + 3.0, mid_y),
            Align2::LEFT_CENTER,
            "R",
            FontId::proportional(10.0),
            weak,
        );
        painter.rect_stroke(
            badge.expand2(egui::vec2(3.0, 1.0)),
            3.0,
            egui::Stroke::new(1.0, weak),
            egui::StrokeKind::Outside,
        );
        x = badge.right() + 9.0;
    }

    // Counts on the right, then the value in the space between.
    let counts = if node.has_children {
        format!(
            "{} · {}",
            plural(u64::from(node.subtree_topics), "topic", "topics"),
            plural(node.subtree_messages, "msg", "msgs")
        )
    } else if node.own_messages > 1 {
        plural(node.own_messages, "msg", "msgs")
    } else {
        String::new()
    };
    let mut counts_rect = if counts.is_empty() {
        egui::Rect::from_min_max(egui::pos2(rect.right() - 6.0, rect.top()), rect.right_bottom())
    } else {
        painter.text(
            egui::pos2(rect.right() - 8.0, mid_y),
            Align2::RIGHT_CENTER,
            &counts,
            FontId::proportional(11.5),
            weak,
        )
    };
    // A topic that keeps publishing shows a calm dot, not a row that never stops flashing.
    if let Some(latest) = node.latest.filter(|_| node.own_messages > 1) {
        let age = now
            .duration_since(latest.received_at)
            .map_or(f32::INFINITY, |age| age.as_secs_f32());
        if age < theme::ACTIVE_SECS {
            let center = egui::pos2(counts_rect.left() - 7.0, mid_y);
            painter.circle_filled(center, 2.5, theme::value_color(ui).gamma_multiply(0.8));
            counts_rect.min.x -= 12.0;
            // Drawn again when the dot is due to go.
            soonest(wake, std::time::Duration::from_secs_f32(theme::ACTIVE_SECS - age));
        }
    }

    if let Some(latest) = node.latest {
        let available = counts_rect.left() - 12.0 - x;
        if available > 30.0 {
            let mut value = String::with_capacity(PREVIEW_CHARS + 2);
            value.push_str("= ");
            if latest.payload.is_empty() {
                value.push_str("(empty)");
            } else if let Some(text) = &preview_text {
                value.push_str(text);
            } else {
                value.push_str(&preview(&latest.payload, PREVIEW_CHARS));
            }
            let color = if latest.payload.is_empty() {
                weak
            } else {
                theme::value_color(ui)
            };
            // Cut where a whole character still fits, with an ellipsis.
            let mut job = egui::text::LayoutJob::simple_singleline(value, mono, color);
            job.wrap = egui::text::TextWrapping::truncate_at_width(available);
            let galley = painter.layout_job(job);
            let pos = egui::pos2(x, mid_y - galley.size().y / 2.0);
            painter.galley(pos, galley, color);
        }
    }

    // What a screen reader (and a UI test) reads for this row: its name, then counts and value.
    response.widget_info(|| {
        let mut info = egui::WidgetInfo::selected(egui::Role::TreeItem, true, selected, name);
        let value = node.latest.map(|m| {
            preview_text
                .clone()
                .unwrap_or_else(|| preview(&m.payload, PREVIEW_CHARS))
        });
        let retained = if node.retained { "retained " } else { "" };
        info.current_text_value = Some(match value {
            Some(value) if counts.is_empty() => format!("{retained}= {value}"),
            Some(value) => format!("{retained}= {value} ({counts})"),
            None => counts.clone(),
        });
        info
    });

    // The row's menu: pinning for topics with a message, the order for branches.
    let mut chart_path = None;
    response.context_menu(|ui| {
        let mut item = |ui: &mut egui::Ui, text: &str, picked: RowAction| {
            if ui.button(text).clicked() {
                action = picked;
                ui.close();
            }
        };
        item(ui, "Copy topic", RowAction::CopyTopic);
        if node.latest.is_some() {
            item(ui, "Copy value", RowAction::CopyValue);
        }
        item(ui, "Publish to this topic…", RowAction::PublishTo);
        if node.latest.is_some() {
            item(ui, "Pin to compare", RowAction::Pin);
        }
        if let Some(latest) = node.latest {
            chart_path = crate::ui::chart::add_to_chart_menu_ui(ui, &state.tree.topic(row.id), latest);
        }
        let name = state.tree.topic(row.id);
        if node.latest.is_some() {
            item(ui, "Log only this topic", RowAction::LogOnly(name.clone()));
        }
        if node.has_children {
            item(ui, "Log only this branch", RowAction::LogOnly(format!("{name}/#")));
        }
        if node.retained || node.latest.is_some() {
            item(ui, "Clear retained…", RowAction::ClearRetained(false));
        }
        if node.has_children {
            item(ui, "Export branch…", RowAction::ExportBranch);
            item(ui, "Clear retained below…", RowAction::ClearRetained(true));
            ui.separator();
            if let Some(picked) = row_menu_ui(ui, state) {
                action = picked;
            }
        }
        ui.separator();
        if let Some(picked) = super::subscribe::subscription_menu_ui(ui, &state.tree.topic(row.id), state.subscriptions)
        {
            action = picked;
        }
    });
    if let Some(path) = chart_path {
        action = RowAction::AddToChart(path);
    }
    if !matches!(
        action,
        RowAction::None | RowAction::Select | RowAction::Toggle | RowAction::SelectAndToggle
    ) {
        return action;
    }
    if response.double_clicked() {
        return RowAction::SelectAndToggle;
    }
    if response.clicked() && !matches!(action, RowAction::Toggle) {
        return RowAction::Select;
    }
    action
}

/// A small filled triangle: pointing right when collapsed, down when expanded.
pub(super) fn expander_shape(center: egui::Pos2, expanded: bool, color: egui::Color32) -> egui::Shape {
    let (w, h) = (4.0, 4.5);
    let points = if expanded {
        vec![
            center + egui::vec2(-h, -w * 0.6),
            center + egui::vec2(h, -w * 0.6),
            center + egui::vec2(0.0, w * 1.1),
        ]
    } else {
        vec![
            center + egui::vec2(-w * 0.6, -h),
            center + egui::vec2(w * 1.1, 0.0),
            center + egui::vec2(-w * 0.6, h),
        ]
    };
    egui::Shape::convex_polygon(points, color, egui::Stroke::NONE)
}

/// Ask for the next frame after `after` at the latest.
fn soonest(wake: &mut Option<std::time::Duration>, after: std::time::Duration) {
    *wake = Some(wake.map_or(after, |w| w.min(after)));
}
