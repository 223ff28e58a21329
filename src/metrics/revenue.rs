//! Rule 7 (SPEC §3): revenue recovered — won deals with n ≥ 1 + F, their amounts per
//! currency (never summed across currencies) and the share of all won revenue.

use polars::prelude::*;

use super::frames::{is, u64_col};
use super::{CurrencyAmount, RevenueRecovered};
use crate::error::Result;
use crate::model::{Interner, Status};

/// Rule 7 over the deal frame (of the period, of a group).
pub(crate) fn revenue(deals: LazyFrame, recovered_after: u32, text: &Interner) -> Result<RevenueRecovered> {
    let won = deals.filter(is(Status::Won).and(col("in_scope")));
    let recovered = col("n").gt_eq(lit(recovered_after.saturating_add(1)));
    let counts = won
        .clone()
        .filter(recovered.clone())
        .select([len().alias("deals"), col("amount").is_null().cast(DataType::UInt64).sum().alias("no_amount")])
        .collect()?;
    let per = won
        .filter(col("amount").is_not_null())
        .group_by([col("currency")])
        .agg([
            col("amount").sum().alias("won_amount"),
            col("amount").filter(recovered).sum().alias("amount"),
        ])
        .collect()?;
    let cur = u64_col(&per, "currency")?;
    let amt = per.column("amount")?.f64()?.clone();
    let wamt = per.column("won_amount")?.f64()?.clone();
    let mut by_currency: Vec<CurrencyAmount> = (0..per.height())
        .map(|i| {
            let amount = amt.get(i).unwrap_or(0.0);
            let won_amount = wamt.get(i).unwrap_or(0.0);
            CurrencyAmount {
                currency: text.get(cur[i] as u32).to_owned(),
                amount,
                share_of_won: (won_amount != 0.0).then(|| amount / won_amount),
                won_amount,
            }
        })
        .collect();
    by_currency.sort_by(|a, b| a.currency.cmp(&b.currency));
    Ok(RevenueRecovered {
        recovered_after,
        deals: u64_col(&counts, "deals")?[0] as usize,
        no_amount: u64_col(&counts, "no_amount")?[0] as usize,
        by_currency,
    })
}
