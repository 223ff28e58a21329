//! Rule 5 (SPEC §3): touches to close for won deals and touches before giving up for
//! lost deals: mean, median and histogram of n over the tracked deals in scope.

use polars::prelude::*;

use super::frames::{is, u64_col};
use super::{Bin, TouchStats};
use crate::error::Result;
use crate::model::Status;

/// Rule 5 over deals of `status` in scope: (count, stats).
pub(crate) fn touch_stats(deals: LazyFrame, status: Status) -> Result<(usize, TouchStats)> {
    let scoped = deals.filter(is(status).and(col("in_scope")));
    let counts = scoped
        .clone()
        .select([len().alias("deals"), col("n").eq(lit(0u32)).cast(DataType::UInt64).sum().alias("untracked")])
        .collect()?;
    let tracked = scoped.filter(col("n").gt(lit(0u32)));
    let summary = tracked
        .clone()
        .select([
            col("n").cast(DataType::Float64).mean().alias("mean"),
            col("n").cast(DataType::Float64).median().alias("median"),
        ])
        .collect()?;
    let hist = tracked.group_by([col("n")]).agg([len().alias("deals")]).sort(["n"], Default::default()).collect()?;
    let get = |df: &DataFrame, c: &str| -> Result<Option<f64>> { Ok(df.column(c)?.f64()?.get(0)) };
    let histogram = u64_col(&hist, "n")?
        .into_iter()
        .zip(u64_col(&hist, "deals")?)
        .map(|(n, d)| Bin { touches: n as u32, deals: d as usize })
        .collect();
    Ok((
        u64_col(&counts, "deals")?[0] as usize,
        TouchStats {
            untracked: u64_col(&counts, "untracked")?[0] as usize,
            mean: get(&summary, "mean")?,
            median: get(&summary, "median")?,
            histogram,
        },
    ))
}
