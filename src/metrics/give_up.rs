//! Rule 8 (SPEC §3): the give-up point — the last touch number of lost deals and of
//! stale open deals, in the buckets 1, 2, 3–4 and 5+.

use polars::prelude::*;

use super::frames::{is, u64_col};
use super::{ratio, Bucket, GiveUp, GiveUpBucket};
use crate::error::Result;
use crate::model::Status;

/// Rule 8 over the deal frame (of the period, of a group).
pub(crate) fn give_up(deals: LazyFrame, stale_days: u32) -> Result<GiveUp> {
    let lost = is(Status::Lost).and(col("in_scope"));
    let df = deals
        .filter(lost.or(col("stale")).and(col("n").gt(lit(0u32))))
        .select([
            col("n").eq(lit(1u32)).cast(DataType::UInt64).sum().alias(GiveUpBucket::One.as_str()),
            col("n").eq(lit(2u32)).cast(DataType::UInt64).sum().alias(GiveUpBucket::Two.as_str()),
            col("n")
                .gt_eq(lit(3u32))
                .and(col("n").lt_eq(lit(4u32)))
                .cast(DataType::UInt64)
                .sum()
                .alias(GiveUpBucket::ThreeToFour.as_str()),
            col("n").gt_eq(lit(5u32)).cast(DataType::UInt64).sum().alias(GiveUpBucket::FivePlus.as_str()),
        ])
        .collect()?;
    let counts: Vec<usize> =
        GiveUpBucket::ALL.iter().map(|b| u64_col(&df, b.as_str()).map(|v| v[0] as usize)).collect::<Result<_>>()?;
    let total: usize = counts.iter().sum();
    Ok(GiveUp {
        deals: total,
        stale_days,
        buckets: GiveUpBucket::ALL
            .iter()
            .copied()
            .zip(counts)
            .map(|(bucket, deals)| Bucket { bucket, deals, share: ratio(deals, total) })
            .collect(),
    })
}
