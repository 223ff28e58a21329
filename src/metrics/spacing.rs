//! Rule 12 (SPEC §3): spacing. For touch k ≥ 2 counted in rule 4's `sent_k`, the gap in
//! calendar days from touch k−1, in the buckets 0–1, 2–3, 4–7, 8–14, 15+: sent,
//! responded and rate with a Wilson interval per (k, bucket) and per bucket pooled over
//! k, and each pooled bucket compared with the rest as groups are compared (Newcombe
//! interval, Fisher's exact test or the pooled z-test, Holm over the buckets).

use polars::prelude::*;

use super::frames::{add, RiskCounts};
use super::groups::{self, Comparisons, GroupComparison, Metric, Mode};
use super::{compare, ratio, stats, verdict};
use super::{GapBucket, Spacing, SpacingRate, SpacingTouchRate};
use crate::error::Result;

/// Rule 12 over at-risk rows (of the period, of a group).
pub(crate) fn spacing(risk: LazyFrame) -> Result<Spacing> {
    // Counted in a loop over the collected rows (see `frames::touch_counts_by`).
    let rows = RiskCounts::collect(risk, &["gap_bucket"])?;
    let buckets = rows.df.column("gap_bucket")?.cast(&DataType::UInt32)?;
    let nb = GapBucket::ALL.len();
    // counts[k - 2][bucket] = (sent, responded), touch 2 ..= kmax.
    let mut counts: Vec<Vec<(u64, u64)>> = Vec::new();
    for ((k, b), responded) in rows.k()?.iter().zip(buckets.u32()?.iter()).zip(rows.responded()?.iter()) {
        let (Some(k), Some(b)) = (k, b) else { continue };
        let (k, b) = (k as usize, b as usize);
        if counts.len() + 1 < k {
            counts.resize(k - 1, vec![(0, 0); nb]);
        }
        if k >= 2 && b < nb {
            add(&mut counts[k - 2][b], responded);
        }
    }
    let mut pooled = vec![(0u64, 0u64); nb];
    let mut by_touch = Vec::with_capacity(counts.len() * nb);
    for (i, row) in counts.iter().enumerate() {
        for (b, &(s, r)) in row.iter().enumerate() {
            pooled[b] = (pooled[b].0.saturating_add(s), pooled[b].1.saturating_add(r));
            by_touch.push(SpacingTouchRate { touch: i as u32 + 2, rate: rate(GapBucket::ALL[b], s, r) });
        }
    }
    let pooled: Vec<SpacingRate> =
        pooled.iter().enumerate().map(|(b, &(s, r))| rate(GapBucket::ALL[b], s, r)).collect();
    let comparisons = compare_buckets(&pooled);
    Ok(Spacing { pooled, by_touch, comparisons })
}

fn rate(bucket: GapBucket, sent: u64, responded: u64) -> SpacingRate {
    let ci = stats::wilson(responded, sent);
    SpacingRate {
        bucket,
        sent,
        responded,
        rate: ratio(responded as usize, sent as usize),
        ci_low: ci.map(|c| c.0),
        ci_high: ci.map(|c| c.1),
    }
}

/// Each pooled bucket against the rest of the touches (k ≥ 2), Holm over the buckets
/// compared; a bucket with no touch, or with every touch, is not compared.
fn compare_buckets(pooled: &[SpacingRate]) -> Comparisons {
    let (k_all, n_all) = pooled.iter().fold((0u64, 0u64), |a, r| (a.0 + r.responded, a.1 + r.sent));
    let mut list = Vec::new();
    let mut raw = Vec::new();
    for r in pooled {
        let (k2, n2) = (k_all - r.responded, n_all - r.sent);
        let Some(c) = compare::compare(r.responded, r.sent, k2, n2) else { continue };
        let group = r.bucket.as_str().to_owned();
        list.push(GroupComparison::new(
            Metric::ResponseRate,
            None,
            group,
            "the rest".to_owned(),
            (r.responded, r.sent),
            (k2, n2),
            &c,
        ));
        raw.push((c, "response rate".to_owned()));
    }
    groups::judge(&mut list, raw, |c, out, what| {
        let a = format!("a gap of {} days", out.group);
        let text = verdict::verdict_for(c, out.n1, out.n2, what, &a, "other gaps");
        // The bucket's name opens the sentence when the difference is meaningful.
        match text.strip_prefix('a') {
            Some(rest) => format!("A{rest}"),
            None => text,
        }
    });
    Comparisons { mode: Mode::EachVsRest, count: list.len(), list }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(b: GapBucket, sent: u64, responded: u64) -> SpacingRate {
        rate(b, sent, responded)
    }

    /// Each bucket against the rest of the touches: a bucket with no touch is not
    /// compared, counts are the rest's, Holm runs over the compared ones, and the
    /// sentence reads well at its start and in its middle.
    #[test]
    fn buckets_are_compared_with_the_rest() {
        let pooled = [
            bucket(GapBucket::D0To1, 200, 40),
            bucket(GapBucket::D2To3, 400, 40),
            bucket(GapBucket::D4To7, 400, 36),
            bucket(GapBucket::D8To14, 0, 0),
            bucket(GapBucket::D15Plus, 100, 9),
        ];
        let c = compare_buckets(&pooled);
        assert_eq!((c.mode, c.count), (Mode::EachVsRest, 4));
        let first = &c.list[0];
        assert_eq!((first.group.as_str(), first.k1, first.n1, first.k2, first.n2), ("0-1", 40, 200, 85, 900));
        assert!((first.diff - (0.2 - 85.0 / 900.0)).abs() < 1e-12);
        assert!(first.p_holm >= first.p_value && first.is_meaningful(), "{first:?}");
        assert!(first
            .verdict
            .starts_with("A gap of 0-1 days is associated with a higher response rate than other gaps"));
        let last = &c.list[3];
        assert_eq!(last.group, "15+");
        assert!(last
            .verdict
            .starts_with("Not yet meaningful: the difference in response rate between a gap of 15+ days"));
        assert!(c.list.iter().all(|x| x.metric == Metric::ResponseRate && x.touch.is_none() && x.versus == "the rest"));
    }
}
