//! Rule 4 (SPEC §3): the response rate by touch number, with its Wilson interval, the
//! plain cumulative and the Kaplan–Meier cumulative with its Greenwood band.

use polars::prelude::*;

use super::frames::u64_col;
use super::{ratio, stats, TouchRate};
use crate::error::Result;

/// Rule 4 over at-risk rows (of the period, of a group): touch 1 up to the highest k
/// with sent > 0, dense (a touch number nobody received has sent = 0).
pub(crate) fn response_by_touch(risk: LazyFrame) -> Result<Vec<TouchRate>> {
    let df = risk
        .group_by([col("k")])
        .agg([len().alias("sent"), col("responded").cast(DataType::UInt64).sum().alias("responded")])
        .sort(["k"], SortMultipleOptions::default())
        .collect()?;
    let ks = u64_col(&df, "k")?;
    let sent = u64_col(&df, "sent")?;
    let resp = u64_col(&df, "responded")?;
    let kmax = ks.iter().copied().max().unwrap_or(0) as usize;
    // Dense 1..=kmax: a touch number nobody received in the period has sent = 0.
    let mut steps = vec![(0u64, 0u64); kmax];
    for ((k, s), r) in ks.iter().zip(&sent).zip(&resp) {
        steps[*k as usize - 1] = (*s, *r);
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
