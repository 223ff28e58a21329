//! Rule 13 (SPEC §3), competing outcomes: every deal that got touch 1 and is not
//! inbound-initiated ends at one touch number e with one outcome — responded, opted out,
//! lost or censored (facts.rs decides which). With n_k = deals with e ≥ k,
//! h_k = responded at k / n_k and c_k = (opted out + lost at k) / n_k:
//! S_0 = 1, S_k = S_{k−1}·(1 − h_k − c_k) and CIF_k = Σ_{j≤k} S_{j−1}·h_j, the discrete
//! Aalen–Johansen estimator of the share that answers when opting out and losing end the
//! chase. Beside it, rule 4's Kaplan–Meier over the same deals (their at-risk touches).

use polars::prelude::*;

use super::timing::in_days;
use super::{stats, CompetingStep};
use crate::error::Result;
use crate::model::Period;

/// A u32 column of `df` (nulls as `None`).
fn u32s(df: &DataFrame, name: &str) -> Result<UInt32Chunked> {
    Ok(df.column(name)?.cast(&DataType::UInt32)?.u32()?.clone())
}

/// Rule 13's competing outcomes over a deal frame (with a period: touch 1 sent in it),
/// touch 1 to the highest touch with at_risk > 0.
pub(crate) fn competing_outcomes(deals: LazyFrame, period: Option<&Period>) -> Result<Vec<CompetingStep>> {
    // The deals per (e, outcome), per last at-risk touch and per responding touch are
    // counted in a loop over the selected columns: a handful of cells from up to a
    // million deals (see `frames::touch_counts_by`).
    let df = deals
        .filter(col("ce_out").gt(lit(0u32)).and(in_days("t1_day", period)))
        .select([col("ce_e"), col("ce_out"), col("risk_last"), col("resp_k")])
        .collect()?;
    let (ce_e, ce_out, risk_last, resp_k) =
        (u32s(&df, "ce_e")?, u32s(&df, "ce_out")?, u32s(&df, "risk_last")?, u32s(&df, "resp_k")?);
    let kmax = ce_e.iter().map(|e| e.unwrap_or(0)).max().unwrap_or(0) as usize;
    if kmax == 0 {
        return Ok(Vec::new());
    }
    // By outcome code 1–4 (responded, opted out, lost, censored), deals per touch e.
    let mut ends = vec![vec![0u64; kmax + 1]; 4];
    // Rule 4 over the same deals: deals per last at-risk touch (a touch past kmax counts
    // at kmax: a deal touched on after opting out), and per responding touch.
    let (mut last, mut hits) = (vec![0u64; kmax + 1], vec![0u64; kmax + 1]);
    let bump = |v: &mut Vec<u64>, k: usize| {
        if let Some(slot) = v.get_mut(k) {
            *slot = slot.saturating_add(1);
        }
    };
    for i in 0..df.height() {
        let (e, out) = (ce_e.get(i).unwrap_or(0) as usize, ce_out.get(i).unwrap_or(0) as usize);
        if let Some(v) = out.checked_sub(1).and_then(|o| ends.get_mut(o)) {
            bump(v, e);
        }
        bump(&mut last, (risk_last.get(i).unwrap_or(0) as usize).min(kmax));
        if let Some(k) = resp_k.get(i) {
            bump(&mut hits, k as usize);
        }
    }
    let (responded, opted_out, lost, censored) = (&ends[0], &ends[1], &ends[2], &ends[3]);
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
