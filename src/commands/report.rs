//! `followup report`: ingest, compute, render, write (SPEC §4), then a one-line summary.

use crate::cli::ReportArgs;
use crate::config::RunConfig;
use crate::error::{shown_path, Error, Result};
use crate::{ingest, metrics, output, redact, report};

/// Runs `followup report` from its flags.
pub fn run(a: &ReportArgs) -> Result<()> {
    let cfg = RunConfig::try_from(a)?;
    let progress = crate::progress::Progress::stderr();
    let out = build(&cfg, &progress);
    progress.finish();
    let out = out?;
    let m = &out.metrics;
    super::note!(
        "followup: wrote {} ({} deals, {} touches; {} rows rejected{})",
        shown_path(&cfg.out),
        m.deals.total,
        m.touches.outbound + m.touches.inbound,
        out.rejected,
        if out.rejected > 0 { ", listed in rejected.csv" } else { "" }
    );
    if let Some(report::IndexOutcome::NotOurs(index)) = &out.index {
        super::note!("followup: warning: {} was not written by followup, so it was left as it is (the new report is not listed in it)", shown_path(index));
    }
    Ok(())
}

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

/// Runs `followup report`: ingest, compute, render, write, showing each stage on
/// `progress` (the caller clears it).
pub fn build(cfg: &RunConfig, progress: &crate::progress::Progress) -> Result<ReportOutcome> {
    // Fail before the work when the folder cannot be written; write_report checks again
    // as it moves the report in.
    output::preflight(&cfg.out, cfg.force, &cfg.protected, "report folder", &output::is_replaceable_report)?;
    let timer = crate::timing::Timer::new();
    let mut opts = ingest::IngestOptions::from(cfg);
    opts.progress = progress.clone();
    let mut ing = ingest::ingest(&opts)?;
    if cfg.redact {
        redact::apply(&mut ing)?;
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
    progress.stage("computing the metrics");
    let mopts = metrics::MetricsOptions::from(cfg);
    let metrics::Computed { metrics: m, ledger, due } = metrics::compute(ing, &mopts)?;
    timer.lap("metrics");
    for f in &m.inputs {
        assert!(f.check(), "row accounting broken for {}: {f:?}", f.path);
    }
    progress.stage("writing the report");
    report::write_report_with(&cfg.out, cfg.force, &cfg.protected, |stage| {
        report::render_into(stage, &m, &ledger.rejected, &due)
    })?;
    timer.lap("render");
    // A report in a folder named "reports" (the default place) updates the folder's
    // index of reports; elsewhere the folder is the user's own and is left alone.
    let index = match cfg.out.parent().filter(|p| p.file_name().is_some_and(|n| n == "reports")) {
        Some(parent) => Some(report::write_index(parent)?),
        None => None,
    };
    timer.lap("report");
    Ok(ReportOutcome { rejected: ledger.rejected.len(), metrics: m, index })
}
