//! `followup` reads a sales team's follow-up log or CRM exports and reports which touch
//! of their follow-up sequence gets responses, how many touches a won deal takes, how
//! many chased deals were won and how much revenue came from later follow-ups.
//!
//! The pipeline runs one way: [`ingest`] reads the files into the canonical tables of
//! [`model`] and a ledger of every row; [`metrics`] derives every SPEC §3 number into a
//! serialisable [`metrics::Metrics`] (the content of metrics.json); [`report`] renders
//! that model to files and moves the finished folder into place.
#![warn(missing_docs, clippy::unwrap_used)]

pub mod cli;
pub mod config;
pub mod error;
pub mod fmt;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod report;
pub mod sample;

use config::RunConfig;
use error::{Error, Result};

/// What a successful report run did.
#[derive(Debug)]
pub struct ReportOutcome {
    /// The metrics written.
    pub metrics: metrics::Metrics,
    /// Rows rejected in all.
    pub rejected: usize,
}

/// Runs `followup report`: ingest, compute, render, write.
pub fn report(cfg: &RunConfig) -> Result<ReportOutcome> {
    if cfg.out.exists() && !cfg.force {
        return Err(Error::OutputExists { path: cfg.out.clone() });
    }
    let mut ing = ingest::ingest(cfg)?;
    if cfg.strict {
        if let Some(r) = ing.ledger.rejected.first() {
            return Err(Error::Strict {
                count: ing.ledger.rejected.len(),
                first: format!("{}:{}: {}: {}", r.file, r.line, r.column, r.reason),
            });
        }
    }
    let m = metrics::compute(&mut ing, cfg)?;
    for f in &m.inputs {
        assert!(f.check(), "row accounting broken for {}: {f:?}", f.path);
    }
    let files = report::render_all(&m, &ing.ledger.rejected)?;
    report::write_report(&cfg.out, cfg.force, &files)?;
    Ok(ReportOutcome { rejected: ing.ledger.rejected.len(), metrics: m })
}
