//! Progress on stderr for long runs (issue 14): the files being read with rows per
//! second, then the metrics, then the writing. Drawn only when stderr is a terminal, and
//! only once the run has taken more than a moment ([`DELAY`]): a pipe, a file or CI gets
//! nothing, and no output file ever does. Cleared before the run's last line.
//!
//! [`Progress::off`] (the default) does nothing at all, so the library's callers and the
//! tests need not know about it.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its progress is drawn: shorter runs stay silent.
pub const DELAY: Duration = Duration::from_millis(800);

/// A handle on the run's progress line; cheap to clone (one shared bar).
#[derive(Clone, Default)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.bar.is_some() { "Progress(stderr)" } else { "Progress(off)" })
    }
}

impl Progress {
    /// Draws nothing.
    pub fn off() -> Self {
        Progress { bar: None }
    }

    /// A progress line on stderr when stderr is a terminal (else [`Progress::off`]). It
    /// stays hidden for [`DELAY`], then is drawn unless the run has finished.
    pub fn stderr() -> Self {
        if !std::io::stderr().is_terminal() {
            return Self::off();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let later = bar.clone();
        // The bar is shown only if the run is still going after the delay.
        let _ = std::thread::Builder::new().name("progress".into()).spawn(move || {
            std::thread::sleep(DELAY);
            if !later.is_finished() {
                later.set_draw_target(ProgressDrawTarget::stderr_with_hz(8));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// Whether anything can be drawn (stderr is a terminal).
    pub fn is_on(&self) -> bool {
        self.bar.is_some()
    }

    /// A file starts: its name and (at most) how many rows it has.
    pub fn file(&self, name: &str, rows: u64) {
        if let Some(bar) = &self.bar {
            bar.disable_steady_tick();
            bar.set_style(
                ProgressStyle::with_template(
                    "reading {msg} {wide_bar} {human_pos}/{human_len} rows ({per_sec}, {elapsed})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_length(rows);
            bar.reset();
            bar.set_message(name.to_owned());
        }
    }

    /// `n` more rows of the current file were read.
    pub fn rows(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// A stage without a count starts ("computing the metrics", "writing the report").
    pub fn stage(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(what.to_owned());
            bar.enable_steady_tick(Duration::from_millis(125));
        }
    }

    /// The run is over (done or failed): the line is cleared, so what the run says last
    /// stands alone.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_does_nothing_and_says_so() {
        let p = Progress::off();
        p.file("deals.csv", 10);
        p.rows(5);
        p.stage("computing");
        p.finish();
        assert!(!p.is_on());
        assert_eq!(format!("{p:?}"), "Progress(off)");
    }

    #[test]
    fn not_a_terminal_is_off() {
        // `cargo test` captures stderr, or CI runs without a terminal.
        if !std::io::stderr().is_terminal() {
            assert!(!Progress::stderr().is_on());
        }
    }
}
