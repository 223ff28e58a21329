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
                SampleStyle::Capsule if a.split => {
                    return Err(Error::Argument { flag: "--split", message: "--split is for the canonical style only".into() })
                }
                SampleStyle::Capsule => followup::sample_capsule::write_capsule_sample(&opts, &a.out),
                SampleStyle::Hubspot => {
                    return Err(Error::Argument { flag: "--style", message: "hubspot is not yet available; use canonical or capsule".into() })
                }
            }
            .map_err(Error::io(&a.out))?;
            eprintln!("followup: wrote {} deals, {} activity rows into {}", s.deals, s.touch_rows, a.out.display());
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
