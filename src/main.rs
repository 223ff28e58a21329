//! The `followup` binary: parse the command line, run, map the result to an exit code
//! (0 ok, 1 I/O, 2 bad input or arguments, 3 rejected rows under --strict).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use followup::cli::{Cli, Command, SampleStyle};
use followup::config::{RawReportArgs, RunConfig};
use followup::error::{shown_path, Error};
use followup::output;

/// A line to stderr; a closed or full stderr is ignored (there is nowhere left to say it).
macro_rules! note {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Report(a) => {
            let cfg = RunConfig::from_raw(RawReportArgs {
                inputs: a.inputs,
                out: a.out,
                force: a.force,
                as_of: a.as_of,
                month: a.month,
                from: a.from,
                to: a.to,
                reply_window: a.reply_window,
                recovered_after: a.recovered_after,
                stale_days: a.stale_days,
                currency: a.currency,
                day_first: a.day_first,
                timezone: Some(a.timezone),
                strict: a.strict,
                redact: a.redact,
                sheet: a.sheet,
                by: a.by,
                won_stages: a.won_stage,
                lost_stages: a.lost_stage,
                cadence_plan: a.cadence_plan,
                map: a.map,
            })?;
            let out = followup::report(&cfg)?;
            let m = &out.metrics;
            note!(
                "followup: wrote {} ({} deals, {} touches; {} rows rejected{})",
                shown_path(&cfg.out),
                m.deals.total,
                m.touches.outbound + m.touches.inbound,
                out.rejected,
                if out.rejected > 0 { ", listed in rejected.csv" } else { "" }
            );
            if let Some(followup::report::IndexOutcome::NotOurs(index)) = &out.index {
                note!("followup: warning: {} was not written by followup, so it was left as it is (the new report is not listed in it)", shown_path(index));
            }
            Ok(())
        }
        Command::Sample(a) => {
            let opts = followup::sample::SampleOptions { deals: a.deals, seed: a.seed, split: a.split, ..Default::default() };
            if a.split && a.style != SampleStyle::Canonical {
                return Err(Error::Argument { flag: "--split", message: "--split is for the canonical style only".into() });
            }
            // Written beside --out, then moved in without replacing any file already there.
            let s = output::place_files(&a.out, |dir| match a.style {
                SampleStyle::Canonical => followup::sample::write_sample(&opts, dir),
                SampleStyle::Capsule => followup::sample_capsule::write_capsule_sample(&opts, dir),
                SampleStyle::Hubspot => followup::sample_hubspot::write(&opts, dir),
                SampleStyle::Pipedrive => followup::sample::pipedrive::write(&opts, dir),
                SampleStyle::Salesforce => followup::sample::salesforce::write(&opts, dir),
            })?;
            note!("followup: wrote {} deals, {} activity rows into {}", s.deals, s.touch_rows, shown_path(&a.out));
            Ok(())
        }
        Command::Check(a) => {
            let cfg = RunConfig::from_raw(RawReportArgs {
                inputs: a.inputs,
                currency: a.currency,
                day_first: a.day_first,
                sheet: a.sheet,
                won_stages: a.won_stage,
                lost_stages: a.lost_stage,
                map: a.map,
                ..Default::default()
            })?;
            let mut outcome = followup::check::check(&cfg)?;
            output::print(&outcome.text)?;
            // Each unreadable file gets the message `followup report` would give; the last
            // one is returned so that it sets the exit code (2).
            let last = outcome.errors.pop();
            for e in &outcome.errors {
                note!("followup: error: {e:#}");
            }
            if let Some(e) = last {
                return Err(e);
            }
            if !outcome.unusable.is_empty() {
                for f in &outcome.unusable {
                    note!("followup: error: {}: no row of this file could be used (reasons above)", followup::error::shown(f));
                }
                return Err(Error::Unusable { count: outcome.unusable.len() });
            }
            Ok(())
        }
        Command::Map(a) => {
            let text = followup::map_init::init(&a.init, a.sheet.as_deref())?;
            match &a.out {
                None => output::print(&text)?,
                Some(out) => {
                    // --force replaces only a map written by `followup map`.
                    let ours = |p: &std::path::Path| followup::map_init::is_map_file(p);
                    output::write_file(out, a.force, std::slice::from_ref(&a.init), "map file", &ours, text.as_bytes())?;
                    note!(
                        "followup: wrote {}; edit it, then run: followup report {} --map {}",
                        shown_path(out),
                        shown_path(&a.init),
                        shown_path(out)
                    );
                }
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`followup check … | head`): not a failure.
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            note!("followup: error: {e:#}");
            ExitCode::from(e.exit_code())
        }
    }
}
