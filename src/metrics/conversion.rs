//! Rule 6 (SPEC §3): conversion after follow-up — won ÷ (won + lost) among deals with
//! n ≥ 2 in scope, beside the same ratio for deals touched once.

use polars::prelude::*;

use super::frames::{is, u64_col};
use super::{ratio, Conversion, WonLost};
use crate::error::Result;
use crate::model::Status;

/// Rule 6 over the deal frame (of the period, of a group).
pub(crate) fn conversion(deals: LazyFrame) -> Result<Conversion> {
    let n_of = |s: Status| is(s).cast(DataType::UInt64).sum();
    let by_n = |cond: Expr| -> Result<(usize, usize, usize)> {
        let df = deals
            .clone()
            .filter(col("in_scope").and(cond))
            .select([
                n_of(Status::Won).alias("won"),
                n_of(Status::Lost).alias("lost"),
                n_of(Status::Open).alias("open"),
            ])
            .collect()?;
        Ok((u64_col(&df, "won")?[0] as usize, u64_col(&df, "lost")?[0] as usize, u64_col(&df, "open")?[0] as usize))
    };
    let (won, lost, open) = by_n(col("n").gt_eq(lit(2u32)))?;
    let (won1, lost1, _) = by_n(col("n").eq(lit(1u32)))?;
    let (won0, lost0, _) = by_n(col("n").eq(lit(0u32)))?;
    Ok(Conversion {
        followed_up: won + lost + open,
        won,
        lost,
        open,
        rate: ratio(won, won + lost),
        single_touch_rate: ratio(won1, won1 + lost1),
        single_touch: WonLost { won: won1, lost: lost1 },
        no_touch_data: won0 + lost0,
    })
}
