//! The connection editor's proxy row: a proxy chosen, its host, port and login typed, and the
//! broker reached through it; a proxy's refusal said in the window.

use crate::support::Broker;
use eframe::egui;
use egui_kittest::kittest::Queryable as _;

use crate::support::proxies::{Kind, Rules, TestProxy};
use crate::ui_support::{
    Fixture, has_label, has_label_containing, profiles_file_once, replace_text, step_until, type_into,
};

/// A SOCKS5 proxy that wants the login gate / s3cret.
fn guarded_proxy() -> TestProxy {
    TestProxy::start(
        Kind::Socks5,
        Rules {
            login: Some(("gate".into(), "s3cret".into())),
            ..Rules::default()
        },
    )
}

/// Fill the form: the broker, SOCKS5, the proxy's host and port, and its login.
fn fill_in(harness: &mut egui_kittest::Harness<'_, mqscope::App>, broker: &Broker, proxy: &TestProxy, password: &str) {
    replace_text(harness, "Broker", &broker.url());
    harness.get_by_label("SOCKS5").click();
    harness.run_steps(2);
    type_into(harness, "Proxy host", "127.0.0.1");
    type_into(harness, "Port", &proxy.port().to_string());
    type_into(harness, "Proxy user", "gate");
    harness.run_steps(2);
    type_into(harness, "Proxy password", password);
}

/// Connect as a person does after typing a password: Enter.
fn press_enter(harness: &mut egui_kittest::Harness<'_, mqscope::App>) {
    harness.key_press(egui::Key::Enter);
    harness.step();
}

#[test]
fn the_editor_connects_through_a_socks5_proxy_with_a_login() {
    let broker = Broker::start();
    broker.mosquitto_pub("proxied/check", b"hello", true);
    let proxy = guarded_proxy();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    fill_in(&mut harness, &broker, &proxy, "s3cret");
    press_enter(&mut harness);
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, &format!("Connected to mqtt://127.0.0.1:{}", broker.port()))
    });
    step_until(&mut harness, "the retained topic", |h| has_label(h, "proxied"));
    assert_eq!(
        proxy.targets(),
        [format!("127.0.0.1:{}", broker.port())],
        "through the proxy"
    );
    assert_eq!(proxy.users(), ["gate"]);

    // Saved with the profile, its password not in the file (the broker's is not either).
    // (The file is written as the fields are typed: the last of them is awaited.)
    let file = profiles_file_once(&fixture, |v| v["profiles"][0]["proxy"]["username"] == "gate");
    let saved = &file["profiles"][0]["proxy"];
    assert_eq!(saved["kind"], "socks5");
    assert_eq!(saved["host"], "127.0.0.1");
    assert_eq!(saved["port"], proxy.port());
    assert!(!file.to_string().contains("s3cret"), "{file}");
}

#[test]
fn the_editor_shows_a_proxy_that_refuses_the_login() {
    let broker = Broker::start();
    let proxy = guarded_proxy();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    fill_in(&mut harness, &broker, &proxy, "wrong");
    press_enter(&mut harness);
    step_until(&mut harness, "the proxy's refusal", |h| {
        has_label_containing(
            h,
            &format!(
                "The proxy at socks5://127.0.0.1:{} refused the login of user \"gate\"",
                proxy.port()
            ),
        )
    });
}
