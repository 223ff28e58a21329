//! `followup sample`: the synthetic sample, in the canonical style or as a CRM exports it.

use crate::cli::{SampleArgs, SampleStyle};
use crate::error::{shown_path, Error, Result};
use crate::{output, sample};

/// Runs `followup sample`: written beside --out, then moved in without replacing any
/// file already there.
pub fn run(a: &SampleArgs) -> Result<()> {
    let opts = sample::SampleOptions { deals: a.deals, seed: a.seed, split: a.split, ..Default::default() };
    if a.split && a.style != SampleStyle::Canonical {
        return Err(Error::Argument { flag: "--split", message: "--split is for the canonical style only".into() });
    }
    let s = output::place_files(&a.out, |dir| match a.style {
        SampleStyle::Canonical => sample::write_sample(&opts, dir),
        SampleStyle::Capsule => sample::capsule::write_capsule_sample(&opts, dir),
        SampleStyle::Hubspot => sample::hubspot::write(&opts, dir),
        SampleStyle::Pipedrive => sample::pipedrive::write(&opts, dir),
        SampleStyle::Salesforce => sample::salesforce::write(&opts, dir),
    })?;
    super::note!("followup: wrote {} deals, {} activity rows into {}", s.deals, s.touch_rows, shown_path(&a.out));
    Ok(())
}
