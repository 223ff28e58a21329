//! Rule 4 (SPEC §3): the response rate by touch number, with its Wilson interval, the
//! plain cumulative and the Kaplan–Meier cumulative with its Greenwood band.

use polars::prelude::*;

use super::frames::{add, RiskCounts};
use super::{ratio, stats, TouchRate};
use crate::error::Result;

/// Rule 4 over at-risk rows (of the period, of a group): touch 1 up to the highest k
/// with sent > 0, dense (a touch number nobody received has sent = 0).
pub(crate) fn response_by_touch(risk: LazyFrame) -> Result<Vec<TouchRate>> {
    // Counted in a loop over the collected rows (see `frames::touch_counts_by`).
    let rows = RiskCounts::collect(risk, &[])?;
    // Dense 1..=kmax: a touch number nobody received in the period has sent = 0.
    let mut steps: Vec<(u64, u64)> = Vec::new();
    for (k, responded) in rows.k()?.iter().zip(rows.responded()?.iter()) {
        let Some(k) = k.filter(|&k| k >= 1) else { continue };
        let k = k as usize;
        if steps.len() < k {
            steps.resize(k, (0, 0));
        }
        add(&mut steps[k - 1], responded);
    }
    let km = stats::kaplan_meier(&steps);
    let sent_1 = steps.first().map_or(0, |s| s.0);
    let mut cum = 0u64;
    Ok(steps
        .iter()
        .zip(km)
        .enumerate()
        .map(|(i, (&(sent, responded), km))| {
            cum += responded;
            let ci = stats::wilson(responded, sent);
            TouchRate {
                touch: i as u32 + 1,
                sent,
                responded,
                rate: ratio(responded as usize, sent as usize),
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
                cumulative: ratio(cum as usize, sent_1 as usize),
                cumulative_km: Some(km.cumulative),
                km_low: km.low,
                km_high: km.high,
            }
        })
        .collect())
}
