//! The monthly trend (SPEC §3 "Periods"): the headline metrics for every calendar
//! month in the data, whatever the period. Response by touch counts the touches sent in
//! the month (Kaplan–Meier read at touch 5), the other figures the deals closed in it.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::frames::{is, status_code, touch_counts_by, u64_col};
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
    let counts = closed_counts(deals)?;
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
    for (&m, c) in &counts {
        let t = months.entry(m).or_insert_with(|| empty_month(m));
        t.won = c.won as usize;
        t.lost = c.lost as usize;
        // As polars' mean of the counts as floats: their sum (exact below 2^53) over
        // how many.
        t.touches_to_close_mean = (c.won_tracked > 0).then(|| c.won_n as f64 / c.won_tracked as f64);
        let closed_fu = c.won_fu.saturating_add(c.lost_fu);
        t.conversion_rate = ratio(c.won_fu as usize, closed_fu as usize);
        t.conversion_closed = Some(closed_fu as usize);
        t.won_tracked = Some(c.won_tracked as usize);
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

/// One close month's counts (rules 5 and 6 by month).
#[derive(Default)]
struct Closed {
    won: u64,
    lost: u64,
    /// Won and lost after at least 2 touches (rule 6).
    won_fu: u64,
    lost_fu: u64,
    /// Won with at least one touch, and the sum of their touches (rule 5's mean).
    won_tracked: u64,
    won_n: u64,
}

/// Rules 5 and 6 per close month of the closed deals: polars selects the columns (no
/// copy of a frame in memory), a loop counts them. A polars group-by over the 800k
/// closed deals of a million held ~40 MB of temporaries (the filtered columns, the
/// groups' row indices) for a few dozen months (docs/decisions.md, "Metrics memory,
/// fourth round").
fn closed_counts(deals: LazyFrame) -> Result<BTreeMap<i32, Closed>> {
    let df = deals.select([col("close_month"), col("status"), col("n")]).collect()?;
    let (month, status, n) = (df.column("close_month")?.i32()?, df.column("status")?.i32()?, df.column("n")?.u32()?);
    let (won, lost) = (status_code(Status::Won), status_code(Status::Lost));
    let mut out: BTreeMap<i32, Closed> = BTreeMap::new();
    for ((m, s), n) in month.iter().zip(status.iter()).zip(n.iter()) {
        let (Some(m), Some(s)) = (m, s) else { continue };
        let c = out.entry(m).or_default();
        let followed = n.is_some_and(|n| n >= 2);
        if s == won {
            c.won = c.won.saturating_add(1);
            c.won_fu = c.won_fu.saturating_add(u64::from(followed));
            if let Some(n) = n.filter(|&n| n > 0) {
                c.won_tracked = c.won_tracked.saturating_add(1);
                c.won_n = c.won_n.saturating_add(u64::from(n));
            }
        } else if s == lost {
            c.lost = c.lost.saturating_add(1);
            c.lost_fu = c.lost_fu.saturating_add(u64::from(followed));
        }
    }
    Ok(out)
}
