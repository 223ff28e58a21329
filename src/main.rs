//! The `followup` binary: parse the command line, run, map the result to an exit code
//! (0 ok, 1 I/O, 2 bad input or arguments, 3 rejected rows under --strict).

use std::process::ExitCode;

use clap::Parser;
use followup::cli::{Cli, Command, SampleStyle};
use followup::config::{RawReportArgs, RunConfig};
use followup::error::Error;

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
            eprintln!(
                "followup: wrote {} ({} deals, {} touches; {} rows rejected{})",
                cfg.out.display(),
                m.deals.total,
                m.touches.outbound + m.touches.inbound,
                out.rejected,
                if out.rejected > 0 { ", listed in rejected.csv" } else { "" }
            );
            Ok(())
        }
        Command::Sample(a) => {
            let opts = followup::sample::SampleOptions { deals: a.deals, seed: a.seed, split: a.split, ..Default::default() };
            let s = match a.style {
                SampleStyle::Canonical => followup::sample::write_sample(&opts, &a.out),
                SampleStyle::Capsule | SampleStyle::Hubspot if a.split => {
                    return Err(Error::Argument { flag: "--split", message: "--split is for the canonical style only".into() })
                }
                SampleStyle::Capsule => followup::sample_capsule::write_capsule_sample(&opts, &a.out),
                SampleStyle::Hubspot => followup::sample_hubspot::write(&opts, &a.out),
            }
            .map_err(Error::io(&a.out))?;
            eprintln!("followup: wrote {} deals, {} activity rows into {}", s.deals, s.touch_rows, a.out.display());
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
            print!("{}", outcome.text);
            // Each unreadable file gets the message `followup report` would give; the last
            // one is returned so that it sets the exit code (2).
            let last = outcome.errors.pop();
            for e in &outcome.errors {
                eprintln!("followup: error: {e:#}");
            }
            if let Some(e) = last {
                return Err(e);
            }
            if !outcome.unusable.is_empty() {
                for f in &outcome.unusable {
                    eprintln!("followup: error: {f}: no row of this file could be used (reasons above)");
                }
                return Err(Error::Unusable { count: outcome.unusable.len() });
            }
            Ok(())
        }
        Command::Map(a) => {
            let text = followup::map_init::init(&a.init, a.sheet.as_deref())?;
            match &a.out {
                None => print!("{text}"),
                Some(out) => {
                    if out.exists() && !a.force {
                        return Err(Error::OutputExists { path: out.clone() });
                    }
                    std::fs::write(out, text).map_err(Error::io(out))?;
                    eprintln!("followup: wrote {}; edit it, then run: followup report {} --map {}", out.display(), a.init.display(), out.display());
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
        Err(e) => {
            eprintln!("followup: error: {e:#}");
            ExitCode::from(e.exit_code())
        }
    }
}
