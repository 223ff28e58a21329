//! Metrics: the canonical tables in, [`Metrics`] out — every number of the report, and
//! exactly the content of `metrics.json` (schema `followup/1`, SPEC §4). No I/O.
//!
//! [`facts`] makes one linear pass over the sorted touches to derive per-deal figures
//! (SPEC §3 rules 1–3); every aggregation over those rows (rules 4–8) is a polars lazy
//! query. Rates are fractions in [0, 1] and `null` where the denominator is 0.

pub mod cohorts;
pub mod compare;
pub mod due;
pub mod facts;
pub mod groups;
pub mod plan;
pub mod stats;

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::RunConfig;
use crate::error::Result;
use crate::ingest::cells::{format_day, format_time};
use crate::ingest::{FileLedger, Ingested, Ledger};
use crate::model::{day_of, Direction, Event, Status};
use due::DueList;
use facts::{AtRisk, DealFacts, Responded};

/// The schema name written into metrics.json.
pub const SCHEMA: &str = "followup/1";

/// Every number of the report (the content of metrics.json). Fields added after the
/// first release carry `#[serde(default)]`, so an older metrics.json still reads
/// (schema `followup/1`: fields may be added, never renamed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The as-of date (SPEC §3 rule 9), `YYYY-MM-DD`.
    pub as_of: String,
    /// The reporting period, or `null` for all data.
    pub period: Option<PeriodOut>,
    /// One entry per input file: rows = used + rejected + duplicates.
    pub inputs: Vec<FileLedger>,
    /// Files inside ZIP archives that were not read, each with why (Capsule's contacts
    /// and projects, files of no known format).
    #[serde(default)]
    pub skipped_inputs: Vec<String>,
    /// What these inputs cannot show, and what to add (for example "response by touch
    /// needs an activity export"). Empty when nothing is missing.
    #[serde(default)]
    pub limitations: Vec<String>,
    /// Deal counts over the whole input.
    pub deals: DealCounts,
    /// Touch counts over the whole input.
    pub touches: TouchCounts,
    /// Rule 4: response rate by touch number, touch 1 up to the highest k with sent > 0.
    pub response_by_touch: Vec<TouchRate>,
    /// Rule 5 for won deals.
    pub touches_to_close: TouchesToClose,
    /// Rule 5 for lost deals ("touches before giving up").
    pub touches_before_loss: TouchesBeforeLoss,
    /// Rule 6.
    pub conversion_after_follow_up: Conversion,
    /// Rule 7.
    pub revenue_recovered: RevenueRecovered,
    /// Rule 8.
    pub give_up: GiveUp,
    /// Deals touched after they opted out (rule 2).
    pub contacted_after_opt_out: OptOutContacts,
    /// Per-group metrics by dimension (`--by`); empty without it.
    #[serde(default)]
    pub groups: BTreeMap<String, Vec<groups::GroupMetrics>>,
    /// Open deals due a follow-up now (count, the first 100, the usual gaps).
    #[serde(default)]
    pub due_follow_ups: due::DueList,
    /// Comparisons of the groups of each dimension (`--by`).
    #[serde(default)]
    pub comparisons: BTreeMap<String, groups::Comparisons>,
    /// The headline metrics for every calendar month in the data (whatever the period),
    /// oldest first.
    #[serde(default)]
    pub trend: Vec<MonthTrend>,
    /// Deals by the month of their touch 1: response by touch 1…6 (Kaplan–Meier) and
    /// won within 30/60/90 days, every month in the data, oldest first.
    #[serde(default)]
    pub cohorts: Vec<cohorts::Cohort>,
    /// With `--cadence-plan`: how closely each cadence's plan was kept, beside its
    /// results; empty without a plan.
    #[serde(default)]
    pub plan_adherence: Vec<plan::PlanAdherence>,
}

/// The headline metrics of one calendar month: response by touch counts the touches
/// sent in the month, the others the deals closed in the month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthTrend {
    /// `YYYY-MM`.
    pub month: String,
    /// Deals that received touch 1 in the month (and had not responded before).
    pub touch_1_sent: u64,
    /// Kaplan–Meier share responding by touch 5 (or the last touch sent in the month,
    /// when fewer), over the touches sent in the month.
    pub response_km: Option<f64>,
    /// The touch number `response_km` is read at.
    pub response_km_touch: u32,
    /// Won deals closed in the month.
    pub won: usize,
    /// Lost deals closed in the month.
    pub lost: usize,
    /// Mean touches to close of the won deals with n ≥ 1.
    pub touches_to_close_mean: Option<f64>,
    /// Conversion after follow-up (n ≥ 2) of the deals closed in the month.
    pub conversion_rate: Option<f64>,
    /// Revenue recovered per currency.
    pub revenue_recovered: Vec<CurrencyAmount>,
}

impl MonthTrend {
    /// A month with nothing in it yet.
    pub fn empty(month: String) -> Self {
        MonthTrend {
            month,
            touch_1_sent: 0,
            response_km: None,
            response_km_touch: 0,
            won: 0,
            lost: 0,
            touches_to_close_mean: None,
            conversion_rate: None,
            revenue_recovered: Vec::new(),
        }
    }
}

/// A reporting period, inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodOut {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
}

/// Deal counts (whole input, not the period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealCounts {
    /// All deals.
    pub total: usize,
    /// Won deals.
    pub won: usize,
    /// Lost deals.
    pub lost: usize,
    /// Open deals.
    pub open: usize,
    /// Deals whose first response came before touch 1 (left out of response by touch).
    pub inbound_initiated: usize,
    /// Deals whose first response fell outside `--reply-window`.
    pub unattributed: usize,
}

/// Touch counts (whole input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TouchCounts {
    /// Outbound touch rows (before the close-day cut).
    pub outbound: usize,
    /// Inbound touch rows.
    pub inbound: usize,
    /// Bounced emails: not touches.
    pub bounced: usize,
    /// Automatic replies (out of office…): touches, not responses.
    pub automatic_replies: usize,
    /// Opt-out events.
    pub opt_outs: usize,
    /// Internal notes and tasks: not touches.
    pub notes_and_tasks: usize,
    /// Activities linked to no deal: not touches of any deal.
    #[serde(default)]
    pub unlinked: usize,
    /// Activities that did not take place yet ("To do", not Completed): not touches,
    /// not responses, and their dates move nothing (SPEC §2 "Done, not planned").
    #[serde(default)]
    pub planned: usize,
    /// Salesforce activities logged on an account and linked to the account's only
    /// opportunity open that day (counted among the touches, not in `unlinked`).
    #[serde(default)]
    pub linked_by_account: usize,
    /// Outcome words no table knows (treated as one-way), most frequent first.
    pub unknown_outcomes: Vec<UnknownOutcome>,
}

/// An outcome word that no table knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownOutcome {
    /// The word as written.
    pub outcome: String,
    /// How many rows carry it.
    pub rows: usize,
}

/// Rule 4 at one touch number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchRate {
    /// k.
    pub touch: u32,
    /// Deals that received touch k (in the period) and had not responded before it.
    pub sent: u64,
    /// Deals whose first response is attributed to touch k.
    pub responded: u64,
    /// responded / sent; null when sent is 0.
    pub rate: Option<f64>,
    /// Wilson 95% lower bound of `rate`.
    pub ci_low: Option<f64>,
    /// Wilson 95% upper bound of `rate`.
    pub ci_high: Option<f64>,
    /// (responded_1 + … + responded_k) / sent_1; null when sent_1 is 0.
    pub cumulative: Option<f64>,
    /// Kaplan–Meier share responding by touch k if followed up that far.
    pub cumulative_km: Option<f64>,
    /// Greenwood log(−log) 95% lower bound; null where S_k is 0 or 1.
    pub km_low: Option<f64>,
    /// Greenwood log(−log) 95% upper bound; null where S_k is 0 or 1.
    pub km_high: Option<f64>,
}

/// Mean, median and histogram of n (rule 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchStats {
    /// Deals with n = 0: counted, left out of mean, median and histogram.
    pub untracked: usize,
    /// Mean n over tracked deals; null when there are none.
    pub mean: Option<f64>,
    /// Median n (mean of the two middle values for an even count); null when none.
    pub median: Option<f64>,
    /// Deals per n, ascending, for each n that occurs.
    pub histogram: Vec<Bin>,
}

/// One histogram bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bin {
    /// n.
    pub touches: u32,
    /// Deals with that n.
    pub deals: usize,
}

/// Rule 5 for won deals closed in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchesToClose {
    /// Won deals in scope (tracked and untracked).
    pub won: usize,
    /// The statistics.
    #[serde(flatten)]
    pub stats: TouchStats,
}

/// Rule 5 for lost deals closed in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchesBeforeLoss {
    /// Lost deals in scope (tracked and untracked).
    pub lost: usize,
    /// The statistics.
    #[serde(flatten)]
    pub stats: TouchStats,
}

/// Rule 6.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversion {
    /// won + lost + open among deals with n ≥ 2.
    pub followed_up: usize,
    /// Followed-up deals won (closed in the period).
    pub won: usize,
    /// Followed-up deals lost (closed in the period).
    pub lost: usize,
    /// Followed-up open deals (with a touch in the period, when there is one).
    pub open: usize,
    /// won / (won + lost); null when both are 0.
    pub rate: Option<f64>,
    /// The same ratio for deals with exactly one touch.
    pub single_touch_rate: Option<f64>,
    /// The counts behind `single_touch_rate`.
    pub single_touch: WonLost,
}

/// Won and lost counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WonLost {
    /// Won.
    pub won: usize,
    /// Lost.
    pub lost: usize,
}

/// Rule 7.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevenueRecovered {
    /// F: won deals with n ≥ 1 + F count as recovered.
    pub recovered_after: u32,
    /// Recovered won deals.
    pub deals: usize,
    /// Recovered deals without an amount.
    pub no_amount: usize,
    /// Per currency (never summed across currencies), sorted by code.
    pub by_currency: Vec<CurrencyAmount>,
}

/// Recovered revenue in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrencyAmount {
    /// ISO code.
    pub currency: String,
    /// Sum of recovered won amounts.
    pub amount: f64,
    /// amount / won_amount; null when won_amount is 0.
    pub share_of_won: Option<f64>,
    /// Sum of all won amounts in scope in this currency.
    pub won_amount: f64,
}

/// Rule 8.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GiveUp {
    /// Lost deals plus stale open deals, with n ≥ 1.
    pub deals: usize,
    /// `--stale-days` used.
    pub stale_days: u32,
    /// The four buckets 1, 2, 3-4, 5+.
    pub buckets: Vec<Bucket>,
}

/// One give-up bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// "1", "2", "3-4" or "5+".
    pub bucket: String,
    /// Deals whose last touch number falls in the bucket.
    pub deals: usize,
    /// deals / all give-up deals; null when there are none.
    pub share: Option<f64>,
}

/// Deals contacted after opting out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOutContacts {
    /// How many deals.
    pub deals: usize,
    /// How many outbound touches after the opt-out, in all.
    pub touches: usize,
    /// The deals, by deal_id.
    pub list: Vec<OptOutDeal>,
}

/// One deal contacted after opting out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOutDeal {
    /// The deal id.
    pub deal_id: String,
    /// The deal name.
    pub name: String,
    /// When it opted out, `YYYY-MM-DD HH:MM`.
    pub opted_out_at: String,
    /// Outbound touches after that.
    pub touches_after: u32,
}

pub(crate) fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Computes every metric from ingested tables. The touch rows are consumed: they are
/// released once the linear pass has read them, which keeps the peak memory low on big
/// exports. The ledger comes back for the report (rejected.csv).
pub fn compute(mut ing: Ingested, cfg: &RunConfig) -> Result<Computed> {
    let timer = crate::Timer::new();
    let order = facts::sort_and_dedupe(&mut ing)?;
    timer.lap("sort+dedupe");
    let (f, risk) = facts::derive(&ing, &order, cfg);
    timer.lap("linear pass");
    let deals = &ing.tables.deals;
    let t = &ing.tables.touches;

    let as_of_day = cfg.as_of.unwrap_or_else(|| {
        let last_touch = order.iter().map(|&r| t.at[r as usize]).max();
        let last_close = (0..deals.len())
            .filter(|&d| deals.status[d] != Status::Open)
            .filter_map(|d| deals.closed_at[d])
            .max();
        day_of(last_touch.max(last_close).unwrap_or(0))
    });

    let kept = order.iter().map(|&r| r as usize);
    let outbound = kept.clone().filter(|&i| t.direction[i] == Direction::Outbound).count();
    let auto = kept.clone().filter(|&i| t.event[i] == Event::AutoReply).count();
    let opt = kept.clone().filter(|&i| t.event[i] == Event::OptOut).count();
    let touch_rows = order.len();
    drop(order);
    ing.tables.touches = Default::default();
    ing.touch_detail = Vec::new();
    let deals = &ing.tables.deals;

    let mut optouts: Vec<OptOutDeal> = (0..deals.len())
        .filter(|&d| f.after_opt_out[d] > 0)
        .map(|d| OptOutDeal {
            deal_id: deals.id.get(d).to_owned(),
            name: deals.name(d).to_owned(),
            opted_out_at: f.opt_out_at[d].map(format_time).unwrap_or_default(),
            touches_after: f.after_opt_out[d],
        })
        .collect();
    optouts.sort_by(|a, b| a.deal_id.cmp(&b.deal_id));

    let inbound_initiated = f.responded.iter().filter(|r| **r == Some(Responded::InboundInitiated)).count();
    let unattributed = f.responded.iter().filter(|r| matches!(r, Some(Responded::Unattributed(_)))).count();
    // The plan of each interned cadence (index into the plan's cadences).
    let plan_of: Vec<Option<u32>> = match &cfg.plan {
        Some(p) => deals.text.values().iter().map(|name| p.position(name).map(|i| i as u32)).collect(),
        None => Vec::new(),
    };
    let plan_rows = cfg.plan.as_ref().map(|p| plan::rows(&risk, &f, deals, &plan_of, &p.cadences, as_of_day, cfg));
    let risk_all = risk_frame(risk, &f)?;
    let risk_df = in_period(risk_all.clone(), cfg);
    let response = response_by_touch(risk_df.clone())?;
    let mut f = f;
    timer.lap("risk+response");
    let planned = cfg.plan.as_ref().map(|p| (plan_of.as_slice(), p.cadences.as_slice()));
    let (due_all, usual_gaps) = due::due(deals, &mut f, &response, as_of_day, planned);
    timer.lap("due list");
    let deal_df = deal_frame(&ing, f, cfg, as_of_day)?;

    let deal_df_for_trend = deal_df.clone();
    let count = |s: Status| deals.status.iter().filter(|&&x| x == s).count();
    let mut unknown: Vec<UnknownOutcome> = ing
        .ledger
        .unknown_outcomes
        .iter()
        .map(|(o, &rows)| UnknownOutcome { outcome: o.clone(), rows })
        .collect();
    unknown.sort_by(|a, b| b.rows.cmp(&a.rows).then(a.outcome.cmp(&b.outcome)));

    timer.lap("deal frame");
    let mut group_out = BTreeMap::new();
    let mut comparisons = BTreeMap::new();
    let frames = groups::Frames {
        deals: deal_df.clone().filter(col("in_scope")),
        risk: risk_df.clone(),
        text: &deals.text,
        recovered_after: cfg.recovered_after,
        stale_days: cfg.stale_days,
    };
    for &dim in &cfg.by {
        let (g, c) = groups::compute(dim, &frames)?;
        group_out.insert(dim.as_str().to_owned(), g);
        comparisons.insert(dim.as_str().to_owned(), c);
    }
    let plan_adherence = match (&cfg.plan, plan_rows) {
        (Some(p), Some(rows)) => {
            let by_cadence = match group_out.get("cadence") {
                Some(g) => g.clone(),
                None => groups::compute(groups::Dimension::Cadence, &frames)?.0,
            };
            plan::adherence(rows, &p.cadences, |name| {
                let key = name.trim().to_lowercase();
                by_cadence.iter().find(|g| g.key.trim().to_lowercase() == key).map_or((None, Vec::new()), |g| {
                    (g.conversion_after_follow_up.as_ref().and_then(|c| c.rate), g.response_by_touch.clone())
                })
            })?
        }
        _ => Vec::new(),
    };
    timer.lap("groups");
    let metrics = Metrics {
        schema: SCHEMA.to_owned(),
        as_of: format_day(as_of_day),
        period: cfg.period.as_ref().map(|p| PeriodOut { from: format_day(p.from), to: format_day(p.to) }),
        inputs: ing.ledger.files.clone(),
        skipped_inputs: ing.ledger.skipped.clone(),
        limitations: limitations(&ing, touch_rows, outbound),
        deals: DealCounts {
            total: deals.len(),
            won: count(Status::Won),
            lost: count(Status::Lost),
            open: count(Status::Open),
            inbound_initiated,
            unattributed,
        },
        touches: TouchCounts {
            outbound,
            inbound: touch_rows - outbound,
            bounced: ing.ledger.bounced,
            automatic_replies: auto,
            opt_outs: opt,
            notes_and_tasks: ing.ledger.notes_and_tasks,
            unlinked: ing.ledger.unlinked,
            planned: ing.ledger.planned,
            linked_by_account: ing.ledger.linked_by_account,
            unknown_outcomes: unknown,
        },
        response_by_touch: response,
        touches_to_close: {
            let (won, stats) = touch_stats(deal_df.clone(), Status::Won)?;
            TouchesToClose { won, stats }
        },
        touches_before_loss: {
            let (lost, stats) = touch_stats(deal_df.clone(), Status::Lost)?;
            TouchesBeforeLoss { lost, stats }
        },
        conversion_after_follow_up: conversion(deal_df.clone())?,
        revenue_recovered: revenue(deal_df.clone(), cfg.recovered_after, &deals.text)?,
        give_up: give_up(deal_df.clone(), cfg.stale_days)?,
        contacted_after_opt_out: OptOutContacts {
            deals: optouts.len(),
            touches: optouts.iter().map(|o| o.touches_after as usize).sum(),
            list: optouts,
        },
        due_follow_ups: DueList::default(),
        groups: group_out,
        comparisons,
        trend: Vec::new(),
        cohorts: Vec::new(),
        plan_adherence,
    };
    timer.lap("aggregations");
    let mut metrics = metrics;
    metrics.trend = trend(risk_all.clone(), deal_df_for_trend.clone(), cfg.recovered_after, &deals.text)?;
    timer.lap("trend");
    metrics.cohorts = cohorts::cohorts(risk_all, deal_df_for_trend)?;
    timer.lap("cohorts");
    let table = due::DueTable::new(due_all, &ing.tables.deals);
    metrics.due_follow_ups = due::summary(&table, usual_gaps);
    Ok(Computed { metrics, ledger: ing.ledger, due: table })
}

/// What the inputs cannot show (issue 3: a deals-only export gives touches to close
/// from the CRM's count, but no response by touch). Read from the ledger's formats and
/// the touch counts, before any aggregation.
fn limitations(ing: &Ingested, touch_rows: usize, outbound: usize) -> Vec<String> {
    use crate::ingest::formats::{rows_of, RowKind};
    let deal_rows_only = ing.ledger.files.iter().all(|f| rows_of(&f.format) == RowKind::Deal);
    let deals = &ing.tables.deals;
    let mut out = Vec::new();
    if touch_rows == 0 {
        out.push(if deal_rows_only {
            "Response by touch, the cohorts and the due list need an activity export (calls, emails, meetings) or a follow-up log: only a deals export was given.".to_owned()
        } else {
            "Response by touch, the cohorts and the due list need dated touches: no input gave any.".to_owned()
        });
        if deals.touch_count.iter().any(Option::is_some) {
            out.push("Touches to close, conversion after follow-up, revenue recovered and the give-up point count the CRM's \"Number of times contacted\"; give the activity exports for exact touches.".to_owned());
        }
    } else if outbound == 0 {
        out.push("No outbound touch in the inputs: every figure that counts touches is empty.".to_owned());
    }
    let pipedrive = ing.ledger.files.iter().any(|f| f.format.starts_with("pipedrive-activities") || f.format.starts_with("pipedrive-api-activities"));
    if pipedrive && touch_rows > 0 {
        out.push("Pipedrive activities carry no direction or outcome: a held meeting is the only response they show, so response rates count meetings only.".to_owned());
    }
    let won_with_amount = (0..deals.len()).filter(|&d| deals.status[d] == Status::Won && deals.amount[d].is_some()).count();
    if deals.status.contains(&Status::Won) && won_with_amount == 0 {
        out.push("Revenue recovered needs amounts: no won deal has one (add or map an amount column).".to_owned());
    }
    out
}

/// What `compute` returns: the metrics, the ledger (for rejected.csv) and the whole due
/// list (tables/due_follow_ups.csv; metrics.json keeps the first 100).
#[derive(Debug)]
pub struct Computed {
    /// Every number of the report.
    pub metrics: Metrics,
    /// What happened to every input row.
    pub ledger: Ledger,
    /// Every deal due a follow-up, ranked (tables/due_follow_ups.csv).
    pub due: due::DueTable,
}

/// One row per deal with everything rules 5–8 filter and aggregate on.
/// Consumes the per-deal facts (their columns move into the frame).
fn deal_frame(ing: &Ingested, f: DealFacts, cfg: &RunConfig, as_of_day: i32) -> Result<LazyFrame> {
    let deals = &ing.tables.deals;
    let nd = deals.len();
    let in_scope: Vec<bool> = (0..nd)
        .map(|d| match (&cfg.period, deals.status[d]) {
            (_, Status::Open) => f.touched_in_period[d],
            (None, _) => true,
            (Some(p), _) => deals.closed_at[d].is_some_and(|c| p.contains(day_of(c))),
        })
        .collect();
    // Give-up (rule 8): lost deals, and open deals with no response whose last touch is
    // at least `stale_days` old; with a period, the last touch must be in it.
    let stale: Vec<bool> = (0..nd)
        .map(|d| {
            deals.status[d] == Status::Open
                && f.responded[d].is_none()
                && f.last_out_at[d].is_some_and(|a| {
                    let day = day_of(a);
                    i64::from(as_of_day) - i64::from(day) >= i64::from(cfg.stale_days) && cfg.period.as_ref().is_none_or(|p| p.contains(day))
                })
        })
        .collect();
    let status: Vec<i32> = deals.status.iter().map(|&s| status_code(s)).collect();
    // The cohort table: month of touch 1, days since it, days from it to a win.
    let cohort: Vec<Option<i32>> = f.first_out_day.iter().map(|d| d.map(month_index)).collect();
    let age: Vec<Option<i32>> = f.first_out_day.iter().map(|d| d.map(|d| as_of_day - d)).collect();
    let days_to_won: Vec<Option<i32>> = (0..nd)
        .map(|d| match (deals.status[d], deals.closed_at[d], f.first_out_day[d]) {
            (Status::Won, Some(c), Some(t1)) => Some(day_of(c) - t1),
            _ => None,
        })
        .collect();
    let close_month: Vec<Option<i32>> = (0..nd)
        .map(|d| match deals.status[d] {
            Status::Open => None,
            _ => deals.closed_at[d].map(|c| month_index(day_of(c))),
        })
        .collect();
    let df = DataFrame::new(
        nd,
        vec![
            Column::new("status".into(), status),
            Column::new("n".into(), f.n),
            Column::new("in_scope".into(), in_scope),
            Column::new("stale".into(), stale),
            Column::new("amount".into(), &deals.amount),
            Column::new("currency".into(), &deals.currency),
            Column::new("close_month".into(), close_month),
            Column::new("cadence".into(), f.cadence),
            Column::new("owner".into(), f.owner),
            Column::new("cohort".into(), cohort),
            Column::new("age".into(), age),
            Column::new("days_to_won".into(), days_to_won),
        ],
    )?;
    Ok(df.lazy())
}

/// The at-risk rows of rule 4, restricted to touches sent in the period.
/// The at-risk rows of rule 4 (all of them; [`in_period`] restricts them to the
/// touches sent in the period).
fn risk_frame(risk: AtRisk, f: &DealFacts) -> Result<LazyFrame> {
    let month: Vec<i32> = risk.day.iter().map(|&d| month_index(d)).collect();
    let cadence: Vec<u32> = risk.deal.iter().map(|&d| f.cadence[d as usize]).collect();
    let owner: Vec<u32> = risk.deal.iter().map(|&d| f.owner[d as usize]).collect();
    let channel: Vec<u32> = risk.channel.iter().map(|&c| c as u32).collect();
    // Every at-risk deal has a touch 1.
    let cohort: Vec<i32> = risk.deal.iter().map(|&d| f.first_out_day[d as usize].map_or(0, month_index)).collect();
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
        ],
    )?;
    Ok(df.lazy())
}

/// Keeps the at-risk rows whose touch was sent in the period.
fn in_period(risk: LazyFrame, cfg: &RunConfig) -> LazyFrame {
    match &cfg.period {
        Some(p) => risk.filter(col("day").gt_eq(lit(p.from)).and(col("day").lt_eq(lit(p.to)))),
        None => risk,
    }
}

/// Months since year 0 (`year * 12 + month - 1`) of a day number.
fn month_index(day: i32) -> i32 {
    let (y, m, _) = crate::ingest::cells::civil_from_days(day);
    y * 12 + m as i32 - 1
}

pub(crate) fn month_label(index: i32) -> String {
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}

/// Rule 4's sent and responded counts per (month-like column, touch k ≤ `kmax`) of the
/// at-risk rows: `(month, k, sent, responded)`. Grouping on one integer key
/// (month · 8 + k) instead of two columns is about twice as fast and needs no row
/// encoding at 2.5 million rows.
pub(crate) fn touch_counts_by(risk: LazyFrame, month: &str, kmax: u32) -> Result<Vec<(i32, u32, u64, u64)>> {
    debug_assert!(kmax < 8);
    let df = risk
        .filter(col("k").lt_eq(lit(kmax)))
        .select([(col(month).cast(DataType::Int64) * lit(8i64) + col("k").cast(DataType::Int64)).alias("key"), col("responded")])
        .group_by([col("key")])
        .agg([len().alias("sent"), col("responded").cast(DataType::UInt32).sum().alias("responded")])
        .collect()?;
    let keys: Vec<i64> = df.column("key")?.i64()?.iter().map(|v| v.unwrap_or(0)).collect();
    let (sent, resp) = (u64_col(&df, "sent")?, u64_col(&df, "responded")?);
    Ok(keys.iter().zip(sent).zip(resp).map(|((&key, s), r)| (key.div_euclid(8) as i32, key.rem_euclid(8) as u32, s, r)).collect())
}

/// The headline metrics per calendar month (SPEC §3 "Periods": the monthly trend).
fn trend(risk: LazyFrame, deals: LazyFrame, recovered_after: u32, text: &crate::model::Interner) -> Result<Vec<MonthTrend>> {
    // The KM of a month is read at touch 5 at most: touches past 5 are not needed.
    let by_touch = touch_counts_by(risk, "month", 5)?;
    let closed = deals.clone().filter(col("close_month").is_not_null());
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
            col("n").filter(won_n).cast(DataType::Float64).mean().alias("mean_n"),
        ])
        .collect()?;
    let revenue = closed
        .filter(is(Status::Won).and(col("amount").is_not_null()))
        .group_by([col("close_month"), col("currency")])
        .agg([
            col("amount").sum().alias("won_amount"),
            col("amount").filter(col("n").gt_eq(lit(recovered_after.saturating_add(1)))).sum().alias("amount"),
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
    let (won, lost, won_fu, lost_fu) = (u64_col(&counts, "won")?, u64_col(&counts, "lost")?, u64_col(&counts, "won_fu")?, u64_col(&counts, "lost_fu")?);
    let mean_n = counts.column("mean_n")?.f64()?.clone();
    for i in 0..cm.len() {
        let t = months.entry(cm[i]).or_insert_with(|| empty_month(cm[i]));
        t.won = won[i] as usize;
        t.lost = lost[i] as usize;
        t.touches_to_close_mean = mean_n.get(i);
        t.conversion_rate = ratio(won_fu[i] as usize, (won_fu[i] + lost_fu[i]) as usize);
    }
    let rm = month_col(&revenue, "close_month")?;
    let cur = u64_col(&revenue, "currency")?;
    let (amt, wamt) = (revenue.column("amount")?.f64()?.clone(), revenue.column("won_amount")?.f64()?.clone());
    for i in 0..rm.len() {
        let t = months.entry(rm[i]).or_insert_with(|| empty_month(rm[i]));
        let (amount, won_amount) = (amt.get(i).unwrap_or(0.0), wamt.get(i).unwrap_or(0.0));
        t.revenue_recovered.push(CurrencyAmount {
            currency: text.get(cur[i] as u32).to_owned(),
            amount,
            share_of_won: (won_amount != 0.0).then(|| amount / won_amount),
            won_amount,
        });
    }
    let mut out: Vec<MonthTrend> = months.into_values().collect();
    for t in &mut out {
        t.revenue_recovered.sort_by(|a, b| a.currency.cmp(&b.currency));
    }
    Ok(out)
}

fn empty_month(m: i32) -> MonthTrend {
    MonthTrend::empty(month_label(m))
}

/// Status as the integer the deal frame stores (cheaper than a string column).
fn status_code(s: Status) -> i32 {
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

pub(crate) fn u64_col(df: &DataFrame, name: &str) -> Result<Vec<u64>> {
    let s = df.column(name)?.cast(&DataType::UInt64)?;
    Ok(s.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
}

fn response_by_touch(risk: LazyFrame) -> Result<Vec<TouchRate>> {
    let df = risk
        .group_by([col("k")])
        .agg([len().alias("sent"), col("responded").cast(DataType::UInt64).sum().alias("responded")])
        .sort(["k"], SortMultipleOptions::default())
        .collect()?;
    let ks = u64_col(&df, "k")?;
    let sent = u64_col(&df, "sent")?;
    let resp = u64_col(&df, "responded")?;
    let kmax = ks.iter().copied().max().unwrap_or(0) as usize;
    // Dense 1..=kmax: a touch number nobody received in the period has sent = 0.
    let mut steps = vec![(0u64, 0u64); kmax];
    for ((k, s), r) in ks.iter().zip(&sent).zip(&resp) {
        steps[*k as usize - 1] = (*s, *r);
    }
    let km = stats::kaplan_meier(&steps);
    let sent_1 = steps.first().map_or(0, |s| s.0);
    let mut cum = 0u64;
    Ok(steps
        .iter()
        .zip(km)
        .enumerate()
        .map(|(i, (&(sent, responded), km))| {
            cum += responded;
            let ci = stats::wilson(responded, sent);
            TouchRate {
                touch: i as u32 + 1,
                sent,
                responded,
                rate: ratio(responded as usize, sent as usize),
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
                cumulative: ratio(cum as usize, sent_1 as usize),
                cumulative_km: Some(km.cumulative),
                km_low: km.low,
                km_high: km.high,
            }
        })
        .collect())
}

/// Rule 5 over deals of `status` in scope: (count, stats).
fn touch_stats(deals: LazyFrame, status: Status) -> Result<(usize, TouchStats)> {
    let scoped = deals.filter(is(status).and(col("in_scope")));
    let counts = scoped
        .clone()
        .select([
            len().alias("deals"),
            col("n").eq(lit(0u32)).cast(DataType::UInt64).sum().alias("untracked"),
        ])
        .collect()?;
    let tracked = scoped.filter(col("n").gt(lit(0u32)));
    let summary = tracked
        .clone()
        .select([col("n").cast(DataType::Float64).mean().alias("mean"), col("n").cast(DataType::Float64).median().alias("median")])
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

/// Deal counts of a (group's) deal frame.
fn group_deal_counts(deals: LazyFrame) -> Result<groups::GroupDeals> {
    let n_of = |s: Status| is(s).cast(DataType::UInt64).sum();
    let df = deals
        .select([len().alias("total"), n_of(Status::Won).alias("won"), n_of(Status::Lost).alias("lost"), n_of(Status::Open).alias("open")])
        .collect()?;
    let get = |c: &str| -> Result<usize> { Ok(u64_col(&df, c)?[0] as usize) };
    Ok(groups::GroupDeals { total: get("total")?, won: get("won")?, lost: get("lost")?, open: get("open")? })
}

/// Rule 6.
fn conversion(deals: LazyFrame) -> Result<Conversion> {
    let n_of = |s: Status| is(s).cast(DataType::UInt64).sum();
    let by_n = |cond: Expr| -> Result<(usize, usize, usize)> {
        let df = deals
            .clone()
            .filter(col("in_scope").and(cond))
            .select([n_of(Status::Won).alias("won"), n_of(Status::Lost).alias("lost"), n_of(Status::Open).alias("open")])
            .collect()?;
        Ok((u64_col(&df, "won")?[0] as usize, u64_col(&df, "lost")?[0] as usize, u64_col(&df, "open")?[0] as usize))
    };
    let (won, lost, open) = by_n(col("n").gt_eq(lit(2u32)))?;
    let (won1, lost1, _) = by_n(col("n").eq(lit(1u32)))?;
    Ok(Conversion {
        followed_up: won + lost + open,
        won,
        lost,
        open,
        rate: ratio(won, won + lost),
        single_touch_rate: ratio(won1, won1 + lost1),
        single_touch: WonLost { won: won1, lost: lost1 },
    })
}

/// Rule 7.
fn revenue(deals: LazyFrame, recovered_after: u32, text: &crate::model::Interner) -> Result<RevenueRecovered> {
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

/// Rule 8.
fn give_up(deals: LazyFrame, stale_days: u32) -> Result<GiveUp> {
    let lost = is(Status::Lost).and(col("in_scope"));
    let df = deals
        .filter(lost.or(col("stale")).and(col("n").gt(lit(0u32))))
        .select([
            col("n").eq(lit(1u32)).cast(DataType::UInt64).sum().alias("1"),
            col("n").eq(lit(2u32)).cast(DataType::UInt64).sum().alias("2"),
            col("n").gt_eq(lit(3u32)).and(col("n").lt_eq(lit(4u32))).cast(DataType::UInt64).sum().alias("3-4"),
            col("n").gt_eq(lit(5u32)).cast(DataType::UInt64).sum().alias("5+"),
        ])
        .collect()?;
    let names = ["1", "2", "3-4", "5+"];
    let counts: Vec<usize> = names.iter().map(|n| u64_col(&df, n).map(|v| v[0] as usize)).collect::<Result<_>>()?;
    let total: usize = counts.iter().sum();
    Ok(GiveUp {
        deals: total,
        stale_days,
        buckets: names
            .iter()
            .zip(counts)
            .map(|(b, deals)| Bucket { bucket: (*b).to_owned(), deals, share: ratio(deals, total) })
            .collect(),
    })
}
