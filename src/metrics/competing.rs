//! Rule 13 (SPEC §3), competing outcomes: every deal that got touch 1 and is not
//! inbound-initiated ends at one touch number e with one outcome — responded, opted out,
//! lost or censored (facts.rs decides which). With n_k = deals with e ≥ k,
//! h_k = responded at k / n_k and c_k = (opted out + lost at k) / n_k:
//! S_0 = 1, S_k = S_{k−1}·(1 − h_k − c_k) and CIF_k = Σ_{j≤k} S_{j−1}·h_j, the discrete
//! Aalen–Johansen estimator of the share that answers when opting out and losing end the
//! chase. Beside it, rule 4's Kaplan–Meier over the same deals (their at-risk touches).

use polars::prelude::*;

use super::frames::u64_col;
use super::timing::in_days;
use super::{stats, CompetingStep};
use crate::error::Result;
use crate::model::Period;

/// Deals per touch number `key` (index 0 ..= kmax); with `clamp`, a touch past kmax
/// counts at kmax (rule 4's last at-risk touch of a deal touched on after opting out).
fn by_touch(df: &DataFrame, key: &str, kmax: usize, clamp: bool) -> Result<Vec<u64>> {
    let mut v = vec![0u64; kmax + 1];
    for (k, n) in u64_col(df, key)?.into_iter().zip(u64_col(df, "deals")?) {
        let k = if clamp { (k as usize).min(kmax) } else { k as usize };
        if let Some(slot) = v.get_mut(k) {
            *slot = slot.saturating_add(n);
        }
    }
    Ok(v)
}

/// Rule 13's competing outcomes over a deal frame (with a period: touch 1 sent in it),
/// touch 1 to the highest touch with at_risk > 0.
pub(crate) fn competing_outcomes(deals: LazyFrame, period: Option<&Period>) -> Result<Vec<CompetingStep>> {
    let scoped = deals.filter(col("ce_out").gt(lit(0u32)).and(in_days("t1_day", period)));
    let ends = scoped.clone().group_by([col("ce_e"), col("ce_out")]).agg([len().alias("deals")]).collect()?;
    let kmax = u64_col(&ends, "ce_e")?.into_iter().max().unwrap_or(0) as usize;
    if kmax == 0 {
        return Ok(Vec::new());
    }
    let outcome = |code: u32| -> Result<Vec<u64>> {
        let df = ends.clone().lazy().filter(col("ce_out").eq(lit(code))).collect()?;
        by_touch(&df, "ce_e", kmax, false)
    };
    let (responded, opted_out, lost, censored) = (outcome(1)?, outcome(2)?, outcome(3)?, outcome(4)?);
    // Rule 4 over the same deals: sent_k = deals whose last at-risk touch is k or later.
    let last = scoped.clone().group_by([col("risk_last")]).agg([len().alias("deals")]).collect()?;
    let hits = scoped.filter(col("resp_k").is_not_null()).group_by([col("resp_k")]).agg([len().alias("deals")]);
    let (last, hits) = (by_touch(&last, "risk_last", kmax, true)?, by_touch(&hits.collect()?, "resp_k", kmax, false)?);
    // Suffix sums from kmax down: n_k (rule 13) and sent_k (rule 4).
    let (mut at_risk, mut km_steps) = (vec![0u64; kmax + 1], vec![(0u64, 0u64); kmax]);
    let (mut n, mut sent) = (0u64, 0u64);
    for k in (1..=kmax).rev() {
        n = n.saturating_add(responded[k] + opted_out[k] + lost[k] + censored[k]);
        sent = sent.saturating_add(last[k]);
        at_risk[k] = n;
        km_steps[k - 1] = (sent, hits[k]);
    }
    let km = stats::kaplan_meier(&km_steps);
    let (mut s, mut cif) = (1.0_f64, 0.0_f64);
    Ok((1..=kmax)
        .map(|k| {
            let at_risk = at_risk[k];
            let n = at_risk as f64;
            let (h, c) =
                if at_risk > 0 { (responded[k] as f64 / n, (opted_out[k] + lost[k]) as f64 / n) } else { (0.0, 0.0) };
            cif += s * h;
            s *= 1.0 - h - c;
            CompetingStep {
                touch: k as u32,
                at_risk,
                responded: responded[k],
                opted_out: opted_out[k],
                lost: lost[k],
                censored: censored[k],
                cif: cif.min(1.0),
                cumulative_km: (km_steps[0].0 > 0).then(|| km[k - 1].cumulative),
            }
        })
        .collect())
}
