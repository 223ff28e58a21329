//! The two polars frames every aggregation reads, built once per run from the linear
//! pass: the deal frame (one row per deal: status, n, scope, staleness, amount, group
//! keys, cohort) and the at-risk frame (one row per deal and touch k it was at risk
//! at, rule 4). Also the small helpers that read them (`is`, `u64_col`) and rule 4's
//! counts per month-like key, shared by the trend and the cohorts.

use polars::prelude::*;

use super::facts::{AtRisk, DealFacts};
use super::MetricsOptions;
use crate::error::Result;
use crate::model::{day_of, Deals, Dimension, Period, Status};
use crate::time::month_of;

/// The columns a run reads only for some options: a group key only when a `--by`
/// dimension needs it (the cadence also for `--cadence-plan`, which reads the cadence
/// groups), the at-risk rows' day only for a period's filter. At a million deals each
/// such column is 4 MB of the deal frame and about 8 MB of the at-risk frame.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Optional {
    cadence: bool,
    owner: bool,
    channel: bool,
    day: bool,
}

impl Optional {
    /// What `opts` reads.
    pub(crate) fn of(opts: &MetricsOptions) -> Self {
        let by = |d: Dimension| opts.by.contains(&d);
        Optional {
            cadence: by(Dimension::Cadence) || opts.plan.is_some(),
            owner: by(Dimension::Owner),
            channel: by(Dimension::Channel),
            day: opts.period.is_some(),
        }
    }
}

/// One row per deal with everything rules 5–8 filter and aggregate on.
/// Consumes the per-deal facts (their columns move into the frame) and what is left of
/// the deals table (freed once its columns are made, before the facts' are).
pub(crate) fn deal_frame(deals: Deals, mut f: DealFacts, opts: &MetricsOptions, as_of_day: i32) -> Result<LazyFrame> {
    // One fact per deal (the deals' ids are already freed: see `compute_sorted`).
    let nd = f.n.len();
    // What the frame does not read, and each fact once read (built on a second thread
    // beside the at-risk frame: `metrics::compute_sorted`), is freed at once.
    drop((std::mem::take(&mut f.opted_out), std::mem::take(&mut f.opt_outs), std::mem::take(&mut f.gaps)));
    // Each column goes to polars as soon as it is made, the deals table is freed once
    // its columns are made and the per-deal timing as its columns are: at 1M deals,
    // every `Vec<Option<_>>` held at once beside the facts was the run's peak memory.
    let in_scope: Vec<bool> = (0..nd)
        .map(|d| match (&opts.period, deals.status[d]) {
            (_, Status::Open) => f.touched_in_period[d],
            (None, _) => true,
            (Some(p), _) => deals.closed_at.get(d).is_some_and(|c| p.contains(day_of(c))),
        })
        .collect();
    let in_scope = Column::new("in_scope".into(), in_scope);
    f.touched_in_period = Vec::new();
    // Give-up (rule 8): lost deals, and open deals with no response whose last touch is
    // at least `stale_days` old; with a period, the last touch must be in it.
    let stale: Vec<bool> = (0..nd)
        .map(|d| {
            deals.status[d] == Status::Open
                && f.responded[d].is_none()
                && f.last_out_day[d].get().is_some_and(|day| {
                    i64::from(as_of_day) - i64::from(day) >= i64::from(opts.stale_days)
                        && opts.period.as_ref().is_none_or(|p| p.contains(day))
                })
        })
        .collect();
    let stale = Column::new("stale".into(), stale);
    f.last_out_day = Vec::new();
    let status = Column::new("status".into(), deals.status.iter().map(|&s| status_code(s)).collect::<Vec<i32>>());
    // The cohort table: month of touch 1, days from it to a win (its age at the as-of
    // day is read from `t1_day`).
    let first = &f.first_out_day;
    let cohort = Int32Chunked::from_iter_options("cohort".into(), first.iter().map(|d| d.get().map(month_of)));
    let days_to_won = Int32Chunked::from_iter_options(
        "days_to_won".into(),
        (0..nd).map(|d| match (deals.status[d], deals.closed_at.get(d), f.first_out_day[d].get()) {
            (Status::Won, Some(c), Some(t1)) => Some(day_of(c) - t1),
            _ => None,
        }),
    );
    let close_month = Int32Chunked::from_iter_options(
        "close_month".into(),
        (0..nd).map(|d| match deals.status[d] {
            Status::Open => None,
            _ => deals.closed_at.get(d).map(|c| month_of(day_of(c))),
        }),
    );
    let amount = Float64Chunked::from_iter_options("amount".into(), deals.amount.iter()).into_column();
    let currency = Column::new("currency".into(), &deals.currency);
    drop(deals);
    let timing = timing_columns(&mut f);
    let keys = Optional::of(opts);
    let mut columns = vec![
        status,
        Column::new("n".into(), f.n),
        in_scope,
        stale,
        amount,
        currency,
        close_month.into_column(),
        cohort.into_column(),
        days_to_won.into_column(),
    ];
    if keys.cadence {
        columns.push(Column::new("cadence".into(), f.cadence));
    }
    if keys.owner {
        columns.push(Column::new("owner".into(), f.owner));
    }
    columns.extend(timing);
    Ok(DataFrame::new(nd, columns)?.lazy())
}

/// The deal frame's columns for rules 10–13 (issue 13), from the per-deal timing
/// (taken out of `f` and freed column by column): `fr_day`/`fr_month` (day and month of
/// the first response), `inbound_first`, `ii` (inbound-initiated), `answer_hours` (rule
/// 10, null: never answered), `delay_days` and `delay_channel` (rule 11, attributed
/// first responses), `resp_k` (the touch of an attributed first response), `t1_day`
/// (touch 1's day), `ce_e`/`ce_out` (rule 13's touch and outcome code, 0: not in rule
/// 13) and `risk_last` (the last touch rule 4 counts the deal at risk at). Each column
/// is built straight from its source, with no `Vec<Option<_>>` in between.
fn timing_columns(f: &mut DealFacts) -> Vec<Column> {
    use super::facts::{dense, Responded};
    const HOUR: f64 = 3600.0;
    const DAY: f64 = 86_400.0;
    let nd = f.n.len();
    let t = &mut f.timing;
    let fr_day = std::mem::take(&mut t.first_response_day);
    let fr_month = Int32Chunked::from_iter_options("fr_month".into(), fr_day.iter().map(|d| d.get().map(month_of)));
    let fr_day = Int32Chunked::from_iter_options("fr_day".into(), fr_day.into_iter().map(|d| d.get()));
    let answer = std::mem::take(&mut t.answer_secs);
    let answer_hours =
        Float64Chunked::from_iter_options("answer_hours".into(), answer.dense(nd).map(|s| s.map(|s| s as f64 / HOUR)));
    drop(answer);
    let delay = std::mem::take(&mut t.delay_secs);
    let delay_days =
        Float64Chunked::from_iter_options("delay_days".into(), delay.dense(nd).map(|s| s.map(|s| s as f64 / DAY)));
    let channel = std::mem::take(&mut t.delay_channel);
    let delay_channel = UInt32Chunked::from_iter_options(
        "delay_channel".into(),
        dense(&delay.deals, &channel, nd).map(|c| c.map(u32::from)),
    );
    drop((delay, channel));
    let inbound_first = Column::new("inbound_first".into(), std::mem::take(&mut t.inbound_first));
    let ce_e = Column::new("ce_e".into(), std::mem::take(&mut t.ended_at));
    let ended = std::mem::take(&mut t.ended);
    let ce_out = Column::new("ce_out".into(), ended.iter().map(|&e| u32::from(e)).collect::<Vec<u32>>());
    drop(ended);
    let resp_k = UInt32Chunked::from_iter_options(
        "resp_k".into(),
        f.responded.iter().map(|r| if let Some(Responded::At(k)) = r { Some(*k) } else { None }),
    );
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
        fr_day.into_column(),
        fr_month.into_column(),
        inbound_first,
        ii,
        answer_hours.into_column(),
        delay_days.into_column(),
        delay_channel.into_column(),
        resp_k.into_column(),
        Int32Chunked::from_iter_options("t1_day".into(), f.first_out_day.iter().map(|d| d.get())).into_column(),
        ce_e,
        ce_out,
        Column::new("risk_last".into(), risk_last),
    ]
}

/// What the at-risk frame reads of each deal, copied out of the facts so that the deal
/// frame can consume them beside it: the month of touch 1 (every at-risk deal has one),
/// and the cadence and owner when a group reads them (else empty).
pub(crate) struct DealKeys {
    cohort: Vec<i32>,
    cadence: Vec<u32>,
    owner: Vec<u32>,
}

impl DealKeys {
    /// The keys of every deal of `f` the at-risk frame reads with `keys`.
    pub(crate) fn of(f: &DealFacts, keys: Optional) -> Self {
        let read = |on: bool, v: &Vec<u32>| if on { v.clone() } else { Vec::new() };
        DealKeys {
            cohort: f.first_out_day.iter().map(|d| d.get().map_or(0, month_of)).collect(),
            cadence: read(keys.cadence, &f.cadence),
            owner: read(keys.owner, &f.owner),
        }
    }
}

/// The at-risk rows of rule 4 (all of them; [`in_period`] restricts them to the
/// touches sent in the period).
pub(crate) fn risk_frame(risk: AtRisk, of_deal: DealKeys, keys: Optional) -> Result<LazyFrame> {
    // Each column is handed to polars as it is made, and each source column of the
    // at-risk rows is freed as soon as its last column is made.
    let AtRisk { deal, k, day, channel, responded, gap_bucket } = risk;
    let rows = k.len();
    let mut columns = vec![Column::new("k".into(), k)];
    // The month and the cohort are made in place of the day and the deal when nothing
    // else reads those (the same 4 bytes a row): the at-risk frame is built beside the
    // deal frame, at the metrics' peak memory.
    let (month, day) = match keys.day {
        true => (day.iter().map(|&d| month_of(d)).collect(), Some(day)),
        false => (day.into_iter().map(month_of).collect::<Vec<i32>>(), None),
    };
    columns.push(Column::new("month".into(), month));
    if let Some(day) = day {
        columns.push(Column::new("day".into(), day));
    }
    columns.push(Column::new("responded".into(), responded));
    let per_deal = |v: &[u32]| deal.iter().map(|&d| v[d as usize]).collect::<Vec<u32>>();
    if keys.cadence {
        columns.push(Column::new("cadence".into(), per_deal(&of_deal.cadence)));
    }
    if keys.owner {
        columns.push(Column::new("owner".into(), per_deal(&of_deal.owner)));
    }
    let cohort: Vec<i32> = deal.into_iter().map(|d| of_deal.cohort[d as usize]).collect();
    columns.push(Column::new("cohort".into(), cohort));
    if keys.channel {
        columns.push(Column::new("channel".into(), channel.into_iter().map(|c| c as u32).collect::<Vec<u32>>()));
    } else {
        drop(channel);
    }
    columns.push(
        UInt32Chunked::from_iter_options("gap_bucket".into(), gap_bucket.into_iter().map(|g| g.map(|b| b as u32)))
            .into_column(),
    );
    Ok(DataFrame::new(rows, columns)?.lazy())
}

/// Keeps the at-risk rows whose touch was sent in the period.
pub(crate) fn in_period(risk: LazyFrame, period: Option<&Period>) -> LazyFrame {
    match period {
        Some(p) => risk.filter(col("day").gt_eq(lit(p.from)).and(col("day").lt_eq(lit(p.to)))),
        None => risk,
    }
}

/// Rule 4's sent and responded counts per (month-like column, touch k ≤ `kmax`) of the
/// at-risk rows: `(month, k, sent, responded)`, in (month, k) order.
///
/// Polars selects the rows and the three columns (no copy for a frame in memory); the
/// counting is a loop over them. Every per-touch count over the at-risk rows is made so
/// (see [`RiskCounts`]): a polars group-by over 2 million rows took 40–60 ms and 50–60
/// MB of hash tables and row indices each time, for a handful of (month, k) cells.
pub(crate) fn touch_counts_by(risk: LazyFrame, month: &str, kmax: u32) -> Result<Vec<(i32, u32, u64, u64)>> {
    let rows = RiskCounts::collect(risk, &[month])?;
    let key = rows.df.column(month)?.cast(&DataType::Int32)?;
    let key = key.i32()?;
    // Per month, (sent, responded) by touch k (index k; 0 unused). The months of an
    // export span a few hundred values: counted in a table from the first one, one
    // index a row (a hash lookup a row took longer); a wider span (a stray date
    // centuries off) is counted by hash.
    let cells = kmax as usize + 1;
    let (Some(first), Some(last)) = (key.min(), key.max()) else { return Ok(Vec::new()) };
    let span = usize::try_from(i64::from(last) - i64::from(first) + 1).unwrap_or(usize::MAX);
    let mut table: Vec<(u64, u64)> = vec![(0, 0); if span <= 10_000 { span * cells } else { 0 }];
    let mut by_hash: rustc_hash::FxHashMap<i32, Vec<(u64, u64)>> = Default::default();
    for ((m, k), responded) in key.iter().zip(rows.k()?.iter()).zip(rows.responded()?.iter()) {
        let (Some(m), Some(k)) = (m, k) else { continue };
        if k > kmax {
            continue;
        }
        let at = (m.abs_diff(first) as usize).saturating_mul(cells).saturating_add(k as usize);
        match table.get_mut(at) {
            Some(cell) => add(cell, responded),
            None => add(&mut by_hash.entry(m).or_insert_with(|| vec![(0, 0); cells])[k as usize], responded),
        }
    }
    let from_table = table.chunks(cells).enumerate().map(|(i, v)| (first.saturating_add(i as i32), v.to_vec()));
    let mut out: Vec<(i32, u32, u64, u64)> = from_table
        .chain(by_hash)
        .flat_map(|(m, v)| v.into_iter().enumerate().filter(|c| c.1 .0 > 0).map(move |(k, (s, r))| (m, k as u32, s, r)))
        .collect();
    out.sort_unstable();
    Ok(out)
}

/// One at-risk row counted: sent, and responded when it did.
pub(crate) fn add(cell: &mut (u64, u64), responded: Option<bool>) {
    cell.0 = cell.0.saturating_add(1);
    if responded == Some(true) {
        cell.1 = cell.1.saturating_add(1);
    }
}

/// At-risk rows collected for counting in a loop: `k`, `responded` and the columns
/// the count is by.
pub(crate) struct RiskCounts {
    /// The columns.
    pub df: DataFrame,
}

impl RiskCounts {
    /// Collects `k`, `responded` and `by` of the rows of `risk`.
    pub(crate) fn collect(risk: LazyFrame, by: &[&str]) -> Result<Self> {
        let columns: Vec<Expr> = ["k", "responded"].iter().chain(by).map(|&c| col(c)).collect();
        Ok(RiskCounts { df: risk.select(columns).collect()? })
    }

    /// The touch numbers.
    pub(crate) fn k(&self) -> Result<UInt32Chunked> {
        Ok(self.df.column("k")?.cast(&DataType::UInt32)?.u32()?.clone())
    }

    /// Whether the deal responded at the row's touch.
    pub(crate) fn responded(&self) -> Result<&BooleanChunked> {
        Ok(self.df.column("responded")?.bool()?)
    }
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
