//! The monthly trend (SPEC §3 "Periods"): the headline metrics for every calendar
//! month in the data, whatever the period. Response by touch counts the touches sent in
//! the month (Kaplan–Meier read at touch 5), the other figures the deals closed in it.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::frames::{is, touch_counts_by, u64_col};
use super::{ratio, stats, CurrencyAmount, MonthTrend};
use crate::error::Result;
use crate::model::{Interner, Status};
use crate::time::month_label;

/// The headline metrics per calendar month (SPEC §3 "Periods": the monthly trend).
pub(crate) fn trend(
    risk: LazyFrame,
    deals: LazyFrame,
    recovered_after: u32,
    text: &Interner,
) -> Result<Vec<MonthTrend>> {
    // The KM of a month is read at touch 5 at most: touches past 5 are not needed.
    let by_touch = touch_counts_by(risk, "month", 5)?;
    let closed = deals.clone().filter(col("close_month").is_not_null());
    let answers = deals.clone();
    let won_n = is(Status::Won).and(col("n").gt(lit(0u32)));
    let followed = col("n").gt_eq(lit(2u32));
    let counts = closed
        .clone()
        .group_by([col("close_month")])
        .agg([
            is(Status::Won).cast(DataType::UInt64).sum().alias("won"),
            is(Status::Lost).cast(DataType::UInt64).sum().alias("lost"),
            is(Status::Won).and(followed.clone()).cast(DataType::UInt64).sum().alias("won_fu"),
            is(Status::Lost).and(followed).cast(DataType::UInt64).sum().alias("lost_fu"),
            col("n").filter(won_n.clone()).cast(DataType::Float64).mean().alias("mean_n"),
            won_n.cast(DataType::UInt64).sum().alias("won_tracked"),
        ])
        .collect()?;
    let revenue = closed
        .filter(is(Status::Won).and(col("amount").is_not_null()))
        .group_by([col("close_month"), col("currency")])
        .agg([
            col("amount").sum().alias("won_amount"),
            col("amount").filter(col("n").gt_eq(lit(recovered_after.saturating_add(1)))).sum().alias("amount"),
            len().alias("won_deals"),
        ])
        .collect()?;

    let mut months: BTreeMap<i32, MonthTrend> = BTreeMap::new();
    let month_col = |df: &DataFrame, c: &str| -> Result<Vec<i32>> {
        Ok(df.column(c)?.cast(&DataType::Int32)?.i32()?.iter().map(|v| v.unwrap_or(0)).collect())
    };
    // Response: KM per month from (k, sent, responded).
    let mut steps: BTreeMap<i32, Vec<(u64, u64)>> = BTreeMap::new();
    for (m, k, sent, resp) in by_touch {
        let v = steps.entry(m).or_default();
        let k = k as usize;
        if v.len() < k {
            v.resize(k, (0, 0));
        }
        v[k - 1] = (sent, resp);
    }
    for (m, v) in steps {
        let t = months.entry(m).or_insert_with(|| empty_month(m));
        let at = v.len().min(5);
        let km = stats::kaplan_meier(&v[..at]);
        t.touch_1_sent = v[0].0;
        t.response_km_touch = at as u32;
        t.response_km = km.last().map(|p| p.cumulative);
    }
    let cm = month_col(&counts, "close_month")?;
    let (won, lost, won_fu, lost_fu) = (
        u64_col(&counts, "won")?,
        u64_col(&counts, "lost")?,
        u64_col(&counts, "won_fu")?,
        u64_col(&counts, "lost_fu")?,
    );
    let mean_n = counts.column("mean_n")?.f64()?.clone();
    let won_tracked = u64_col(&counts, "won_tracked")?;
    for i in 0..cm.len() {
        let t = months.entry(cm[i]).or_insert_with(|| empty_month(cm[i]));
        t.won = won[i] as usize;
        t.lost = lost[i] as usize;
        t.touches_to_close_mean = mean_n.get(i);
        t.conversion_rate = ratio(won_fu[i] as usize, (won_fu[i] + lost_fu[i]) as usize);
        t.conversion_closed = Some((won_fu[i] + lost_fu[i]) as usize);
        t.won_tracked = Some(won_tracked[i] as usize);
    }
    let rm = month_col(&revenue, "close_month")?;
    let cur = u64_col(&revenue, "currency")?;
    let (amt, wamt) = (revenue.column("amount")?.f64()?.clone(), revenue.column("won_amount")?.f64()?.clone());
    let won_deals = u64_col(&revenue, "won_deals")?;
    for i in 0..rm.len() {
        let t = months.entry(rm[i]).or_insert_with(|| empty_month(rm[i]));
        let (amount, won_amount) = (amt.get(i).unwrap_or(0.0), wamt.get(i).unwrap_or(0.0));
        t.revenue_recovered.push(CurrencyAmount {
            currency: text.get(cur[i] as u32).to_owned(),
            amount,
            share_of_won: (won_amount != 0.0).then(|| amount / won_amount),
            won_amount,
            won_deals: Some(won_deals[i] as usize),
        });
    }
    answer_times(answers, &mut months)?;
    let mut out: Vec<MonthTrend> = months.into_values().collect();
    for t in &mut out {
        t.revenue_recovered.sort_by(|a, b| a.currency.cmp(&b.currency));
    }
    Ok(out)
}

/// Rule 10 per month: the median hours to answer of the inbound first responses that
/// came in the month and were answered (polars' median is rule 5's: the mean of the two
/// middle values for an even count).
fn answer_times(deals: LazyFrame, months: &mut BTreeMap<i32, MonthTrend>) -> Result<()> {
    let df = deals
        .filter(col("inbound_first").and(col("answer_hours").is_not_null()))
        .group_by([col("fr_month")])
        .agg([col("answer_hours").median().alias("median"), len().alias("answered")])
        .collect()?;
    let month: Vec<Option<i32>> = df.column("fr_month")?.cast(&DataType::Int32)?.i32()?.iter().collect();
    let median = df.column("median")?.f64()?.clone();
    let answered = u64_col(&df, "answered")?;
    for (i, m) in month.into_iter().enumerate() {
        // The trend's months are those with a touch sent or a deal closed; a month with
        // only responses in it adds none.
        let Some(t) = m.and_then(|m| months.get_mut(&m)) else { continue };
        t.time_to_answer_median_hours = median.get(i);
        t.time_to_answer_answered = answered[i] as usize;
    }
    Ok(())
}

fn empty_month(m: i32) -> MonthTrend {
    MonthTrend::empty(month_label(m))
}
