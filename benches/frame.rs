//! Frame time of the real window code, headless (egui_kittest, 1280×800), with 100,000 and
//! 1,000,000 topics: idle, with 10,000 messages a second arriving, and loading (a frame that
//! applies a burst of 20,000 messages, as while a backlog is caught up with); each also with
//! the frame's shapes tessellated into meshes, as a renderer needs them. Built with the `paint`
//! feature (`cargo bench --features paint --bench frame`), each case is also painted by egui's
//! wgpu renderer on the machine's adapter (Mesa's lavapipe, a CPU rasterizer, where there is no
//! GPU) and read back, as a window's frame is painted and shown.

use std::hint::black_box;
use std::time::Instant;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui;
use egui_kittest::Harness;
use mqscope::App;
use mqscope::model::{Event, Message, Received, Session};
use mqscope::mqtt::{BrokerAddress, ConnectionSettings};

/// `devices` devices of 9 metrics each and as many flat topics: 100,000 topics for 10,000.
fn fleet(devices: usize) -> Vec<Received> {
    let mut messages = Vec::with_capacity(devices * 10);
    for device in 0..devices {
        for metric in [
            "temperature",
            "humidity",
            "power",
            "state",
            "battery",
            "rssi",
            "voltage",
            "energy",
            "uptime",
        ] {
            messages.push(Received {
                topic: format!("fleet/device{device}/{metric}"),
                message: Message::new(Bytes::from(format!("{{\"value\":{device}.5,\"unit\":\"x\"}}"))),
            });
        }
    }
    for i in 0..devices {
        messages.push(Received {
            topic: format!("flat/{i}"),
            message: Message::new(Bytes::from_static(b"1")),
        });
    }
    messages
}

fn harness(runtime: &tokio::runtime::Runtime, devices: usize) -> Harness<'static, App> {
    harness_with(runtime, devices, Harness::builder())
}

fn harness_with(
    runtime: &tokio::runtime::Runtime,
    devices: usize,
    builder: egui_kittest::HarnessBuilder<App>,
) -> Harness<'static, App> {
    let mut session = Session::new();
    session.apply(Event::Messages(fleet(devices)), Instant::now());
    let settings = ConnectionSettings::new(BrokerAddress::parse("localhost").expect("valid"));
    let mut app = App::with_store(
        runtime.handle().clone(),
        None,
        mqscope::profiles::secrets::Keyring::unavailable("not used in benchmarks"),
    );
    app.open_session(settings, session);
    let mut harness = builder.with_size(egui::vec2(1280.0, 800.0)).build_ui_state(
        |ui, app: &mut App| {
            let ctx = ui.ctx().clone();
            app.logic(&ctx);
            app.ui(ui);
        },
        app,
    );
    let selected = harness
        .state()
        .explorer()
        .and_then(|e| e.session.tree.find("fleet/device5/temperature"));
    if let (Some(id), Some(explorer)) = (selected, harness.state_mut().explorer_mut()) {
        // The view a user has after opening two branches and selecting a topic.
        for topic in ["fleet", "flat"] {
            if let Some(branch) = explorer.session.tree.find(topic) {
                explorer.tree.set_expanded(&explorer.session, branch, true);
            }
        }
        explorer.tree.select(&explorer.session, id);
    }
    harness.step();
    harness.step();
    harness
}

fn frame(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let mut group = c.benchmark_group("frame");
    group.sample_size(50);

    let mut idle = harness(&runtime, 10_000);
    group.bench_function("100k topics, idle", |b| b.iter(|| idle.step()));
    // The same frame with what a renderer needs first: its shapes tessellated into meshes.
    group.bench_function("100k topics, idle, tessellated", |b| b.iter(|| tessellated(&mut idle)));
    drop(idle);

    // 10,000 msg/s at 60 frames a second: about 167 messages a frame on existing topics.
    let mut busy = harness(&runtime, 10_000);
    let mut device = 0usize;
    group.bench_function("100k topics, 10k msg/s arriving", |b| {
        b.iter(|| {
            arrive(&mut busy, &mut device, 10_000, 167);
            busy.step();
        });
    });
    group.bench_function("100k topics, 10k msg/s arriving, tessellated", |b| {
        b.iter(|| {
            arrive(&mut busy, &mut device, 10_000, 167);
            tessellated(&mut busy)
        });
    });
    group.bench_function("100k topics, loading, tessellated", |b| {
        b.iter(|| {
            arrive(&mut busy, &mut device, 10_000, 20_000);
            tessellated(&mut busy)
        });
    });
    drop(busy);

    // The live log open below, its 100k lines followed as the same traffic arrives.
    let mut logged = harness(&runtime, 10_000);
    if let Some(explorer) = logged.state_mut().explorer_mut() {
        explorer.log.open = true;
    }
    logged.step();
    group.bench_function("100k topics, log open, 10k msg/s arriving, tessellated", |b| {
        b.iter(|| {
            arrive(&mut logged, &mut device, 10_000, 167);
            tessellated(&mut logged)
        });
    });
    if let Some(explorer) = logged.state_mut().explorer_mut() {
        explorer.log.show_only("fleet/+/temperature".into());
    }
    logged.step();
    group.bench_function("100k topics, log filtered, 10k msg/s arriving, tessellated", |b| {
        b.iter(|| {
            arrive(&mut logged, &mut device, 10_000, 167);
            tessellated(&mut logged)
        });
    });
    drop(logged);

    let mut million = harness(&runtime, 100_000);
    group.bench_function("1M topics, idle, tessellated", |b| b.iter(|| tessellated(&mut million)));
    group.bench_function("1M topics, 10k msg/s arriving, tessellated", |b| {
        b.iter(|| {
            arrive(&mut million, &mut device, 100_000, 167);
            tessellated(&mut million)
        });
    });
    group.bench_function("1M topics, loading, tessellated", |b| {
        b.iter(|| {
            arrive(&mut million, &mut device, 100_000, 20_000);
            tessellated(&mut million)
        });
    });
    group.finish();
    #[cfg(feature = "paint")]
    painted(c, &runtime);
}

/// The same frames painted: tessellated, drawn by egui's wgpu renderer into a 1280×800 texture
/// and read back (`Harness::render`), the whole of what a frame costs before it is shown.
#[cfg(feature = "paint")]
fn painted(c: &mut Criterion, runtime: &tokio::runtime::Runtime) {
    // The renderer panics when the machine has no adapter at all; say so and measure the rest.
    // A window's options (egui's own filtering and dithering), not the test snapshots' ones
    // (filtering by hand in the shader, many times dearer on a CPU rasterizer).
    let options = egui_wgpu::RendererOptions {
        msaa_samples: 1,
        ..Default::default()
    };
    let renderer = std::panic::catch_unwind(|| egui_kittest::wgpu::WgpuTestRenderer::with_render_options(options));
    let Ok(renderer) = renderer else {
        eprintln!(
            "frame: no wgpu adapter on this machine, frames not painted \
             (Mesa's lavapipe comes with the mesa-vulkan-drivers package)"
        );
        return;
    };
    let mut renderer = Some(renderer);
    let mut make = |devices| {
        let builder = Harness::builder();
        let builder = match renderer.take() {
            Some(renderer) => builder.renderer(renderer),
            None => builder.with_render_options(options).wgpu(),
        };
        harness_with(runtime, devices, builder)
    };
    // A painted frame takes a few hundred milliseconds on a CPU rasterizer: ten samples of
    // one frame each.
    let mut group = c.benchmark_group("frame");
    group.sample_size(10);
    group.sampling_mode(criterion::SamplingMode::Flat);
    group.measurement_time(std::time::Duration::from_secs(8));
    let mut device = 0usize;
    for (name, devices) in [("100k", 10_000), ("1M", 100_000)] {
        let mut harness = make(devices);
        group.bench_function(format!("{name} topics, idle, painted"), |b| {
            b.iter(|| painted_frame(&mut harness))
        });
        group.bench_function(format!("{name} topics, 10k msg/s arriving, painted"), |b| {
            b.iter(|| {
                arrive(&mut harness, &mut device, devices, 167);
                painted_frame(&mut harness)
            })
        });
        group.bench_function(format!("{name} topics, loading, painted"), |b| {
            b.iter(|| {
                arrive(&mut harness, &mut device, devices, 20_000);
                painted_frame(&mut harness)
            })
        });
    }
    group.finish();
}

/// One frame (logic and ui), tessellated, painted and read back.
#[cfg(feature = "paint")]
fn painted_frame(harness: &mut Harness<'static, App>) -> usize {
    harness.step();
    match harness.render() {
        Ok(image) => black_box(image.width() as usize),
        Err(error) => panic!("the frame could not be painted: {error}"),
    }
}

/// `count` messages on existing topics of the first `devices` devices, applied to the tab: 167
/// is a frame's worth of 10,000 msg/s, 20,000 a frame of catching up.
fn arrive(harness: &mut Harness<'static, App>, device: &mut usize, devices: usize, count: usize) {
    let payload = Bytes::from_static(b"{\"value\":22.5,\"unit\":\"x\"}");
    let batch: Vec<Received> = (0..count)
        .map(|_| {
            *device = (*device + 1) % devices;
            Received {
                topic: format!("fleet/device{device}/temperature"),
                message: Message::new(payload.clone()),
            }
        })
        .collect();
    if let Some(explorer) = harness.state_mut().explorer_mut() {
        explorer.session.apply(Event::Messages(batch), Instant::now());
    }
}

/// One frame (logic and ui), then its shapes tessellated as a renderer would ask.
fn tessellated(harness: &mut Harness<'static, App>) -> usize {
    harness.step();
    let output = harness.output();
    let meshes = harness.ctx.tessellate(output.shapes.clone(), output.pixels_per_point);
    black_box(meshes.len())
}

criterion_group!(benches, frame);
criterion_main!(benches);
