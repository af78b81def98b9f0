//! What the log saw that a bug report needs: its latest warnings and errors, and the GL
//! renderer the window draws with (egui_glow logs it when the window opens).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::Context;

/// How many warnings and errors are kept, the newest last.
pub const KEPT: usize = 20;

/// The latest warnings and errors and the GL renderer, shared by the log and the window.
#[derive(Clone, Default)]
pub struct Recent {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    problems: VecDeque<String>,
    gl_renderer: Option<String>,
}

impl Recent {
    /// The latest warnings and errors, oldest first, each `HH:MM:SS LEVEL message fields`.
    pub fn problems(&self) -> Vec<String> {
        self.inner
            .lock()
            .map(|inner| inner.problems.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The GL renderer, once the window has opened with one.
    pub fn gl_renderer(&self) -> Option<String> {
        self.inner.lock().ok().and_then(|inner| inner.gl_renderer.clone())
    }

    /// Keep `problem`, forgetting the oldest past [`KEPT`].
    pub fn push_problem(&self, problem: String) {
        if let Ok(mut inner) = self.inner.lock() {
            if inner.problems.len() >= KEPT {
                inner.problems.pop_front();
            }
            inner.problems.push_back(problem);
        }
    }

    fn set_gl_renderer(&self, renderer: String) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.gl_renderer = Some(renderer);
        }
    }
}

/// An event's message and fields, as one line.
#[derive(Default)]
struct Line {
    message: String,
    fields: String,
    /// The target of an event that came from the `log` crate (egui_glow logs that way).
    log_target: Option<String>,
}

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "message" => self.message = value.to_owned(),
            "log.target" => self.log_target = Some(value.to_owned()),
            name if name.starts_with("log.") => {}
            name => {
                self.fields.push_str(&format!(" {name}={value}"));
            }
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => self.message = format!("{value:?}"),
            name if name.starts_with("log.") => {}
            name => {
                self.fields.push_str(&format!(" {name}={value:?}"));
            }
        }
    }
}

/// The renderer named in egui_glow's start-up message (`opengl renderer: NAME`).
fn renderer_in(message: &str) -> Option<&str> {
    message
        .lines()
        .find_map(|line| line.trim().strip_prefix("opengl renderer:"))
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Recent {
    fn on_event(&self, event: &tracing::Event<'_>, _cx: Context<'_, S>) {
        let mut line = Line::default();
        event.record(&mut line);
        let level = *event.metadata().level();
        if level <= tracing::Level::WARN {
            let time = chrono::Local::now().format("%H:%M:%S");
            self.push_problem(format!("{time} {level} {}{}", line.message, line.fields));
        } else if line
            .log_target
            .as_deref()
            .unwrap_or(event.metadata().target())
            .starts_with("egui_glow")
            && let Some(renderer) = renderer_in(&line.message)
        {
            self.set_gl_renderer(renderer.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use tracing_subscriber::layer::SubscriberExt as _;

    use super::*;

    #[test]
    fn keeps_the_latest_warnings_and_errors_only() {
        let recent = Recent::default();
        let subscriber = tracing_subscriber::registry().with(recent.clone());
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("connected");
            for i in 0..KEPT + 5 {
                tracing::warn!(broker = "mqtt://h:1883", attempt = i, "connection failed");
            }
            tracing::error!("not saved");
        });
        let problems = recent.problems();
        assert_eq!(problems.len(), KEPT);
        assert!(problems.iter().all(|p| !p.contains("connected ")));
        assert!(
            problems[0].contains("WARN connection failed broker=mqtt://h:1883 attempt=6"),
            "{problems:?}"
        );
        assert!(problems[KEPT - 1].contains("ERROR not saved"));
    }

    #[test]
    fn reads_the_renderer_from_egui_glow_s_message() {
        let message = "\nopengl version: 4.5 (Core Profile) Mesa 22.3.6\nopengl renderer: llvmpipe (LLVM 15.0.6, 256 bits)\nopengl vendor: Mesa";
        assert_eq!(renderer_in(message), Some("llvmpipe (LLVM 15.0.6, 256 bits)"));
        assert_eq!(renderer_in("Shader header"), None);
        let recent = Recent::default();
        let subscriber = tracing_subscriber::registry().with(recent.clone());
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(target: "egui_glow::painter", "{message}");
            tracing::debug!(target: "elsewhere", "{message}");
        });
        assert_eq!(
            recent.gl_renderer().as_deref(),
            Some("llvmpipe (LLVM 15.0.6, 256 bits)")
        );
    }
}
