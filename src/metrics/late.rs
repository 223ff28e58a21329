//! Rule 13 (SPEC §3), what a late answer is worth: the deals with an attributed first
//! response grouped by its touch number (1, 2, 3, 4, 5+), with deals, won, lost, the win
//! rate won / (won + lost) with a Wilson interval and the won amount per currency.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::frames::{is, u64_col};
use super::timing::in_days;
use super::{ratio, stats, LateAnswer, LateTouch, WonAmount};
use crate::error::Result;
use crate::model::{Interner, Period, Status};

/// The key column: the touch of the first response, 5 and later as 5.
fn key() -> Expr {
    when(col("resp_k").gt_eq(lit(5u32))).then(lit(5u32)).otherwise(col("resp_k")).alias("key")
}

/// Rule 13's late answers over a deal frame (with a period: touch 1 sent in it).
pub(crate) fn late_answers(deals: LazyFrame, period: Option<&Period>, text: &Interner) -> Result<Vec<LateAnswer>> {
    let scoped = deals.filter(col("resp_k").is_not_null().and(in_days("t1_day", period)));
    let counts = scoped
        .clone()
        .group_by([key()])
        .agg([
            len().alias("deals"),
            is(Status::Won).cast(DataType::UInt64).sum().alias("won"),
            is(Status::Lost).cast(DataType::UInt64).sum().alias("lost"),
        ])
        .collect()?;
    let amounts = scoped
        .filter(is(Status::Won).and(col("amount").is_not_null()))
        .group_by([key(), col("currency")])
        .agg([col("amount").sum().alias("amount")])
        .collect()?;
    let mut out: Vec<LateAnswer> = LateTouch::ALL.iter().map(|&touch| empty(touch)).collect();
    let slot = |k: u64| (k.clamp(1, 5) - 1) as usize;
    let (keys, deals_n) = (u64_col(&counts, "key")?, u64_col(&counts, "deals")?);
    let (won, lost) = (u64_col(&counts, "won")?, u64_col(&counts, "lost")?);
    for i in 0..keys.len() {
        let a = &mut out[slot(keys[i])];
        (a.deals, a.won, a.lost) = (deals_n[i] as usize, won[i] as usize, lost[i] as usize);
        let ci = stats::wilson(won[i], won[i] + lost[i]);
        (a.rate, a.ci_low, a.ci_high) = (ratio(a.won, a.won + a.lost), ci.map(|c| c.0), ci.map(|c| c.1));
    }
    let (akeys, cur) = (u64_col(&amounts, "key")?, u64_col(&amounts, "currency")?);
    let amount: Vec<f64> = amounts.column("amount")?.f64()?.iter().map(|v| v.unwrap_or(0.0)).collect();
    let mut by: Vec<BTreeMap<String, f64>> = vec![BTreeMap::new(); out.len()];
    for i in 0..akeys.len() {
        *by[slot(akeys[i])].entry(text.get(cur[i] as u32).to_owned()).or_default() += amount[i];
    }
    for (a, m) in out.iter_mut().zip(by) {
        a.won_amount = m.into_iter().map(|(currency, amount)| WonAmount { currency, amount }).collect();
    }
    Ok(out)
}

fn empty(touch: LateTouch) -> LateAnswer {
    LateAnswer { touch, deals: 0, won: 0, lost: 0, rate: None, ci_low: None, ci_high: None, won_amount: Vec::new() }
}
