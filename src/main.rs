//! The mqscope binary: command line, logging, the network runtime, the window.

use std::time::Duration;

use anyhow::Context as _;
use clap::Parser as _;
use eframe::egui;
use mqscope::App;
use mqscope::cli::Cli;

const ICON_PNG: &[u8] = include_bytes!("../assets/icon.png");

/// Payloads are allocated on the network threads and freed on the window's; mimalloc gives that
/// memory back where glibc's per-thread arenas keep it (BENCHMARKS.md, the flood by hand). Built
/// without transparent huge pages (`no_thp`): the network thread takes fresh pages for every
/// message it receives, and zeroing them 2 MiB at a time cost a fifth of a load's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mqscope replay`: a replay without the window; exits with its outcome.
fn replay(args: &mqscope::cli::replay::ReplayArgs) -> ! {
    let checked = args.settings().and_then(|settings| Ok((settings, args.options()?)));
    let (settings, options) = match checked {
        Ok(checked) => checked,
        Err(error) => {
            eprintln!("mqscope: {error}");
            std::process::exit(2);
        }
    };
    match mqscope::replay::headless::run(&args.file, options, settings) {
        Ok(summary) => {
            eprintln!("mqscope: {summary}");
            std::process::exit(0);
        }
        Err(failed) => {
            eprintln!("mqscope: {}", failed.reason);
            // As a shell reports a command Ctrl+C stopped: 128 + SIGINT.
            std::process::exit(if failed.interrupted { 130 } else { 1 });
        }
    }
}

fn main() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    if let Some(what) = cli.generate {
        return mqscope::cli::manual::write(what, &mut std::io::stdout().lock())
            .with_context(|| format!("writing the {what:?} file"));
    }
    if let Some(mqscope::cli::Command::Replay(args)) = &cli.command {
        replay(args);
    }
    let directives = std::env::var("RUST_LOG").unwrap_or_else(|_| mqscope::logging::DEFAULT_FILTER.to_owned());
    let logging = mqscope::logging::init(mqscope::logging::default_dir().as_deref(), &directives);

    let settings = match cli.settings() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("mqscope: {error}");
            std::process::exit(2);
        }
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("mqscope-net")
        .enable_all()
        .build()
        .context("starting the network runtime")?;

    let mut viewport = egui::ViewportBuilder::default()
        .with_title("mqscope")
        .with_app_id("mqscope")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 400.0]);
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(error) => tracing::warn!(%error, "the window icon could not be loaded"),
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    // A broker named on the command line is connected to at once, while the window opens.
    let early = settings.map(|settings| mqscope::app::EarlyConnection::start(runtime.handle(), settings));
    let handle = runtime.handle().clone();
    eframe::run_native(
        "mqscope",
        options,
        Box::new(move |cc| {
            mqscope::app::setup(&cc.egui_ctx);
            let mut app = App::new(handle);
            app.apply_look(&cc.egui_ctx);
            mqscope::app::look::ask_desktop_theme(&cc.egui_ctx);
            app.set_logging(logging);
            app.set_started(started);
            if let Some(name) = &cli.profile {
                if let Err(error) = app.connect_profile(&cc.egui_ctx, name, cli.connect.password.as_deref()) {
                    app.set_notice(error);
                }
            } else if let Some(early) = early {
                app.adopt(&cc.egui_ctx, early);
            } else {
                app.connect_on_start(&cc.egui_ctx);
            }
            if let Some(path) = &cli.record {
                app.record_shown_tab(path.clone());
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|error| anyhow::anyhow!("could not open the window: {error}"))?;
    runtime.shutdown_timeout(Duration::from_millis(500));
    Ok(())
}
