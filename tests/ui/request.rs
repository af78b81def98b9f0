//! Send and wait for reply: the publish pane sends a request, a responder answers, and the
//! exchange shows the reply and its round trip.

use egui_kittest::kittest::Queryable as _;

use crate::support::Broker;
use crate::support::responder::Responder;
use crate::ui_support::{Fixture, connect_to, has_label_containing, open_publish_pane, step_until, type_into};

#[test]
fn send_and_wait_for_request_shows_the_reply_and_its_round_trip() {
    let broker = Broker::start();
    let _responder = Responder::start(&broker, None);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["lab/#"]);
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    open_publish_pane(&mut harness);
    type_into(&mut harness, "Topic", "lab/ping");
    harness.step();
    type_into(&mut harness, "Payload", "hello");
    harness.step();
    harness.get_by_label("Send and wait for reply").click();
    // The reply topic is not under lab/#: mqscope subscribes to it first, then sends.
    step_until(&mut harness, "the reply", |h| {
        has_label_containing(h, "\"pong\": \"hello\"")
    });
    step_until(&mut harness, "the round trip", |h| {
        has_label_containing(h, "replied in ") && has_label_containing(h, "Round trip: min ")
    });
}

#[test]
fn a_request_nobody_answers_says_no_reply_after_the_timeout() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    open_publish_pane(&mut harness);
    type_into(&mut harness, "Topic", "lab/nobody");
    harness.step();
    harness.get_by_label("Wait").click();
    harness.step();
    harness.key_press(eframe::egui::Key::Backspace);
    harness.get_by_label("Wait").type_text("1");
    harness.step();
    harness.get_by_label("Send and wait for reply").click();
    step_until(&mut harness, "the timeout", |h| {
        has_label_containing(h, "no reply after 1 s")
    });
}
