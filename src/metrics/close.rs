//! Rule 5 (SPEC §3): touches to close for won deals and touches before giving up for
//! lost deals: mean, median and histogram of n over the tracked deals in scope.

use polars::prelude::*;

use super::frames::is;
use super::{Bin, TouchStats};
use crate::error::Result;
use crate::model::Status;

/// Rule 5 over deals of `status` in scope: (count, stats). Polars selects the deals'
/// touch counts; one loop counts them by n, and the mean, median and histogram are read
/// off those counts (three polars queries over the million deals took 10–35 ms each).
/// n is a whole number, so the mean and the median are exact either way.
pub(crate) fn touch_stats(deals: LazyFrame, status: Status) -> Result<(usize, TouchStats)> {
    let df = deals.filter(is(status).and(col("in_scope"))).select([col("n")]).collect()?;
    let n = df.column("n")?.u32()?;
    // Deals per n (n = 0: untracked), ascending.
    let mut by_n: std::collections::BTreeMap<u32, usize> = Default::default();
    for v in n.iter().flatten() {
        let c = by_n.entry(v).or_default();
        *c = c.saturating_add(1);
    }
    let untracked = by_n.remove(&0).unwrap_or(0);
    let tracked: usize = by_n.values().sum();
    let sum: u64 = by_n.iter().map(|(&v, &c)| u64::from(v).saturating_mul(c as u64)).sum();
    let histogram: Vec<Bin> = by_n.iter().map(|(&v, &c)| Bin { touches: v, deals: c }).collect();
    Ok((
        n.len(),
        TouchStats {
            untracked,
            mean: (tracked > 0).then(|| sum as f64 / tracked as f64),
            median: median(&histogram, tracked),
            histogram,
        },
    ))
}

/// The median n of `tracked` deals counted by n (`histogram`, ascending): the mean of
/// the two middle values for an even count.
fn median(histogram: &[Bin], tracked: usize) -> Option<f64> {
    let nth = |i: usize| super::stats::nth_counted(histogram.iter().map(|b| (b.touches, b.deals as u64)), i as u64);
    let (lo, hi) = (nth(tracked.checked_sub(1)? / 2)?, nth(tracked / 2)?);
    Some((f64::from(lo) + f64::from(hi)) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bins(counts: &[(u32, usize)]) -> Vec<Bin> {
        counts.iter().map(|&(touches, deals)| Bin { touches, deals }).collect()
    }

    #[test]
    fn the_median_is_read_off_the_counts_by_n() {
        // 1, 2, 2, 7: the two middle values are 2 and 2.
        assert_eq!(median(&bins(&[(1, 1), (2, 2), (7, 1)]), 4), Some(2.0));
        // 1, 2, 7, 7: the mean of 2 and 7.
        assert_eq!(median(&bins(&[(1, 1), (2, 1), (7, 2)]), 4), Some(4.5));
        // 3, 3, 5: the middle one.
        assert_eq!(median(&bins(&[(3, 2), (5, 1)]), 3), Some(3.0));
        assert_eq!(median(&bins(&[(9, 1)]), 1), Some(9.0));
        assert_eq!(median(&[], 0), None);
    }
}
