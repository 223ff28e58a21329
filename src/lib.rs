//! `followup` reads a sales team's follow-up log or CRM exports and reports which touch
//! of their follow-up sequence gets responses, how many touches a won deal takes, how
//! many chased deals were won and how much revenue came from later follow-ups.
//!
//! The pipeline runs one way: [`ingest`] reads the files into the canonical tables of
//! [`model`] and a ledger of every row; [`metrics`] derives every SPEC §3 number into a
//! serialisable [`metrics::Metrics`] (the content of metrics.json); [`report`] renders
//! that model to files and moves the finished folder into place.
#![warn(missing_docs, clippy::unwrap_used)]

pub mod check;
pub mod cli;
pub mod config;
pub mod error;
pub mod fmt;
pub mod ingest;
pub mod map_init;
pub mod metrics;
pub mod model;
pub mod output;
pub mod plan;
pub mod redact;
pub mod report;
pub mod sample;
pub mod time;
/// The `sample --style capsule` writer, at its old path (now [`sample::capsule`]).
pub use sample::capsule as sample_capsule;
/// The `sample --style hubspot` writer, at its old path (now [`sample::hubspot`]).
pub use sample::hubspot as sample_hubspot;

use config::RunConfig;
use error::{Error, Result};

/// What a successful report run did.
#[derive(Debug)]
pub struct ReportOutcome {
    /// The metrics written.
    pub metrics: metrics::Metrics,
    /// Rows rejected in all.
    pub rejected: usize,
    /// What happened to the index of the `reports` folder, if the report went there.
    pub index: Option<report::IndexOutcome>,
}

/// Runs `followup report`: ingest, compute, render, write.
pub fn report(cfg: &RunConfig) -> Result<ReportOutcome> {
    // Fail before the work when the folder cannot be written; write_report checks again
    // as it moves the report in.
    output::preflight(&cfg.out, cfg.force, &cfg.protected, "report folder", &output::is_replaceable_report)?;
    let timer = Timer::new();
    let mut ing = ingest::ingest(&ingest::IngestOptions::from(cfg))?;
    if cfg.redact {
        redact::apply(&mut ing);
    }
    timer.lap("ingest");
    if cfg.strict {
        if let Some(r) = ing.ledger.rejected.first() {
            return Err(Error::Strict {
                count: ing.ledger.rejected.len(),
                first: format!("{}:{}: {}: {}", r.file, r.line, r.column, r.reason),
            });
        }
    }
    let metrics::Computed { metrics: m, ledger, due } = metrics::compute(ing, &metrics::MetricsOptions::from(cfg))?;
    timer.lap("metrics");
    for f in &m.inputs {
        assert!(f.check(), "row accounting broken for {}: {f:?}", f.path);
    }
    let files = report::render_all(&m, &ledger.rejected, &due)?;
    timer.lap("render");
    report::write_report(&cfg.out, cfg.force, &cfg.protected, &files)?;
    // A report in a folder named "reports" (the default place) updates the folder's
    // index of reports; elsewhere the folder is the user's own and is left alone.
    let index = match cfg.out.parent().filter(|p| p.file_name().is_some_and(|n| n == "reports")) {
        Some(parent) => Some(report::write_index(parent)?),
        None => None,
    };
    timer.lap("report");
    Ok(ReportOutcome { rejected: ledger.rejected.len(), metrics: m, index })
}

/// Stage timings printed to stderr when `FOLLOWUP_TIMINGS` is set (for benchmarking).
pub struct Timer {
    start: Option<std::time::Instant>,
    last: std::cell::Cell<Option<std::time::Instant>>,
}

impl Timer {
    /// Starts timing if `FOLLOWUP_TIMINGS` is set.
    pub fn new() -> Self {
        let start = std::env::var_os("FOLLOWUP_TIMINGS").map(|_| std::time::Instant::now());
        Timer { start, last: std::cell::Cell::new(start) }
    }

    /// Prints the time since the previous lap.
    pub fn lap(&self, what: &str) {
        if let (Some(start), Some(last)) = (self.start, self.last.get()) {
            let now = std::time::Instant::now();
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |k: &str| status.lines().find(|l| l.starts_with(k)).map_or("?", |l| l[k.len()..].trim()).to_owned();
            // A closed stderr is no reason to fail the run.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr().lock(),
                "timing: {what:<12} {:>8.3} s  (total {:.3} s)  rss {}  peak {}",
                (now - last).as_secs_f64(),
                (now - start).as_secs_f64(),
                field("VmRSS:"),
                field("VmHWM:")
            );
            self.last.set(Some(now));
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
