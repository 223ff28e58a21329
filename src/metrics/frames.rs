//! The two polars frames every aggregation reads, built once per run from the linear
//! pass: the deal frame (one row per deal: status, n, scope, staleness, amount, group
//! keys, cohort) and the at-risk frame (one row per deal and touch k it was at risk
//! at, rule 4). Also the small helpers that read them (`is`, `u64_col`) and rule 4's
//! counts per month-like key, shared by the trend and the cohorts.

use polars::prelude::*;

use super::facts::{AtRisk, DealFacts};
use super::{GapBucket, MetricsOptions};
use crate::error::Result;
use crate::ingest::Ingested;
use crate::model::{day_of, Period, Status};
use crate::time::month_index;

/// One row per deal with everything rules 5–8 filter and aggregate on.
/// Consumes the per-deal facts (their columns move into the frame).
pub(crate) fn deal_frame(ing: &Ingested, mut f: DealFacts, opts: &MetricsOptions, as_of_day: i32) -> Result<LazyFrame> {
    let deals = &ing.tables.deals;
    let nd = deals.len();
    // Each column goes to polars as soon as it is made, and the per-deal timing is
    // freed once its columns are made: at 1M deals, every `Vec<Option<_>>` held at once
    // beside the facts was the run's peak memory.
    let timing = timing_columns(&mut f);
    let in_scope: Vec<bool> = (0..nd)
        .map(|d| match (&opts.period, deals.status[d]) {
            (_, Status::Open) => f.touched_in_period[d],
            (None, _) => true,
            (Some(p), _) => deals.closed_at.get(d).is_some_and(|c| p.contains(day_of(c))),
        })
        .collect();
    let in_scope = Column::new("in_scope".into(), in_scope);
    // Give-up (rule 8): lost deals, and open deals with no response whose last touch is
    // at least `stale_days` old; with a period, the last touch must be in it.
    let stale: Vec<bool> = (0..nd)
        .map(|d| {
            deals.status[d] == Status::Open
                && f.responded[d].is_none()
                && f.last_out_at[d].is_some_and(|a| {
                    let day = day_of(a);
                    i64::from(as_of_day) - i64::from(day) >= i64::from(opts.stale_days)
                        && opts.period.as_ref().is_none_or(|p| p.contains(day))
                })
        })
        .collect();
    let stale = Column::new("stale".into(), stale);
    let status = Column::new("status".into(), deals.status.iter().map(|&s| status_code(s)).collect::<Vec<i32>>());
    // The cohort table: month of touch 1, days since it, days from it to a win.
    let first = &f.first_out_day;
    let cohort = Column::new("cohort".into(), first.iter().map(|d| d.map(month_index)).collect::<Vec<Option<i32>>>());
    let age = Column::new("age".into(), first.iter().map(|d| d.map(|d| as_of_day - d)).collect::<Vec<Option<i32>>>());
    let days_to_won: Vec<Option<i32>> = (0..nd)
        .map(|d| match (deals.status[d], deals.closed_at.get(d), f.first_out_day[d]) {
            (Status::Won, Some(c), Some(t1)) => Some(day_of(c) - t1),
            _ => None,
        })
        .collect();
    let days_to_won = Column::new("days_to_won".into(), days_to_won);
    let close_month: Vec<Option<i32>> = (0..nd)
        .map(|d| match deals.status[d] {
            Status::Open => None,
            _ => deals.closed_at.get(d).map(|c| month_index(day_of(c))),
        })
        .collect();
    let close_month = Column::new("close_month".into(), close_month);
    let mut columns = vec![
        status,
        Column::new("n".into(), f.n),
        in_scope,
        stale,
        Float64Chunked::from_iter_options("amount".into(), deals.amount.iter()).into_column(),
        Column::new("currency".into(), &deals.currency),
        close_month,
        Column::new("cadence".into(), f.cadence),
        Column::new("owner".into(), f.owner),
        cohort,
        age,
        days_to_won,
    ];
    columns.extend(timing);
    Ok(DataFrame::new(nd, columns)?.lazy())
}

/// The deal frame's columns for rules 10–13 (issue 13), from the per-deal timing
/// (taken out of `f` and freed here): `fr_day`/`fr_month` (day and month of the first
/// response), `inbound_first`, `ii` (inbound-initiated), `answer_hours` (rule 10, null:
/// never answered), `delay_days` and `delay_channel` (rule 11, attributed first
/// responses), `resp_k` (the touch of an attributed first response), `t1_day` (touch 1's
/// day), `ce_e`/`ce_out` (rule 13's touch and outcome code, 0: not in rule 13) and
/// `risk_last` (the last touch rule 4 counts the deal at risk at). Each column is handed
/// to polars as soon as it is made.
fn timing_columns(f: &mut DealFacts) -> Vec<Column> {
    use super::facts::Responded;
    const HOUR: f64 = 3600.0;
    const DAY: f64 = 86_400.0;
    let t = std::mem::take(&mut f.timing);
    let fr_day: Vec<Option<i32>> = t.iter().map(|x| x.first_response_at.map(day_of)).collect();
    let fr_month = Column::new("fr_month".into(), fr_day.iter().map(|d| d.map(month_index)).collect::<Vec<_>>());
    let fr_day = Column::new("fr_day".into(), fr_day);
    let answer_hours: Vec<Option<f64>> = t
        .iter()
        .map(|x| match (x.inbound_first, x.first_response_at, x.answer_at) {
            (true, Some(r), Some(a)) => Some((a - r) as f64 / HOUR),
            _ => None,
        })
        .collect();
    let answer_hours = Column::new("answer_hours".into(), answer_hours);
    let delay_days: Vec<Option<f64>> =
        t.iter().map(|x| x.first_response_at.zip(x.answered_touch).map(|(r, (a, _))| (r - a) as f64 / DAY)).collect();
    let delay_days = Column::new("delay_days".into(), delay_days);
    let delay_channel: Vec<Option<u32>> = t.iter().map(|x| x.answered_touch.map(|(_, c)| c as u32)).collect();
    let delay_channel = Column::new("delay_channel".into(), delay_channel);
    let inbound_first = Column::new("inbound_first".into(), t.iter().map(|x| x.inbound_first).collect::<Vec<bool>>());
    let ce_e = Column::new("ce_e".into(), t.iter().map(|x| x.ended.map_or(0, |e| e.0)).collect::<Vec<u32>>());
    let ce_out =
        Column::new("ce_out".into(), t.iter().map(|x| x.ended.map_or(0, |e| e.1.code())).collect::<Vec<u32>>());
    drop(t);
    let resp_k: Vec<Option<u32>> =
        f.responded.iter().map(|r| if let Some(Responded::At(k)) = r { Some(*k) } else { None }).collect();
    let resp_k = Column::new("resp_k".into(), resp_k);
    let ii = Column::new(
        "ii".into(),
        f.responded.iter().map(|r| *r == Some(Responded::InboundInitiated)).collect::<Vec<bool>>(),
    );
    let risk_last: Vec<u32> = f
        .responded
        .iter()
        .zip(&f.n)
        .map(|(r, &n)| match r {
            Some(Responded::At(k)) | Some(Responded::Unattributed(k)) => *k,
            Some(Responded::InboundInitiated) => 0,
            None => n,
        })
        .collect();
    vec![
        fr_day,
        fr_month,
        inbound_first,
        ii,
        answer_hours,
        delay_days,
        delay_channel,
        resp_k,
        Column::new("t1_day".into(), f.first_out_day.clone()),
        ce_e,
        ce_out,
        Column::new("risk_last".into(), risk_last),
    ]
}

/// The at-risk rows of rule 4 (all of them; [`in_period`] restricts them to the
/// touches sent in the period).
pub(crate) fn risk_frame(risk: AtRisk, f: &DealFacts) -> Result<LazyFrame> {
    let month: Vec<i32> = risk.day.iter().map(|&d| month_index(d)).collect();
    let cadence: Vec<u32> = risk.deal.iter().map(|&d| f.cadence[d as usize]).collect();
    let owner: Vec<u32> = risk.deal.iter().map(|&d| f.owner[d as usize]).collect();
    let channel: Vec<u32> = risk.channel.iter().map(|&c| c as u32).collect();
    // Every at-risk deal has a touch 1.
    let cohort: Vec<i32> = risk.deal.iter().map(|&d| f.first_out_day[d as usize].map_or(0, month_index)).collect();
    let gap_bucket: Vec<Option<u32>> =
        risk.gap.iter().map(|g| g.map(|days| GapBucket::of(i64::from(days)) as u32)).collect();
    let df = DataFrame::new(
        risk.k.len(),
        vec![
            Column::new("k".into(), risk.k),
            Column::new("day".into(), risk.day),
            Column::new("month".into(), month),
            Column::new("responded".into(), risk.responded),
            Column::new("cadence".into(), cadence),
            Column::new("owner".into(), owner),
            Column::new("channel".into(), channel),
            Column::new("cohort".into(), cohort),
            Column::new("gap_bucket".into(), gap_bucket),
        ],
    )?;
    Ok(df.lazy())
}

/// Keeps the at-risk rows whose touch was sent in the period.
pub(crate) fn in_period(risk: LazyFrame, period: Option<&Period>) -> LazyFrame {
    match period {
        Some(p) => risk.filter(col("day").gt_eq(lit(p.from)).and(col("day").lt_eq(lit(p.to)))),
        None => risk,
    }
}

/// Rule 4's sent and responded counts per (month-like column, touch k ≤ `kmax`) of the
/// at-risk rows: `(month, k, sent, responded)`. Grouping on one integer key
/// (month · 8 + k) instead of two columns is about twice as fast and needs no row
/// encoding at 2.5 million rows.
pub(crate) fn touch_counts_by(risk: LazyFrame, month: &str, kmax: u32) -> Result<Vec<(i32, u32, u64, u64)>> {
    debug_assert!(kmax < 8);
    let df = risk
        .filter(col("k").lt_eq(lit(kmax)))
        .select([
            (col(month).cast(DataType::Int64) * lit(8i64) + col("k").cast(DataType::Int64)).alias("key"),
            col("responded"),
        ])
        .group_by([col("key")])
        .agg([len().alias("sent"), col("responded").cast(DataType::UInt32).sum().alias("responded")])
        .collect()?;
    let keys: Vec<i64> = df.column("key")?.i64()?.iter().map(|v| v.unwrap_or(0)).collect();
    let (sent, resp) = (u64_col(&df, "sent")?, u64_col(&df, "responded")?);
    Ok(keys
        .iter()
        .zip(sent)
        .zip(resp)
        .map(|((&key, s), r)| (key.div_euclid(8) as i32, key.rem_euclid(8) as u32, s, r))
        .collect())
}

/// Status as the integer the deal frame stores (cheaper than a string column).
pub(crate) fn status_code(s: Status) -> i32 {
    match s {
        Status::Won => 0,
        Status::Lost => 1,
        Status::Open => 2,
    }
}

/// `status == s` on the deal frame.
pub(crate) fn is(s: Status) -> Expr {
    col("status").eq(lit(status_code(s)))
}

/// A count column as u64s (nulls read as 0).
pub(crate) fn u64_col(df: &DataFrame, name: &str) -> Result<Vec<u64>> {
    let s = df.column(name)?.cast(&DataType::UInt64)?;
    Ok(s.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
}
