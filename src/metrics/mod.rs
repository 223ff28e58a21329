//! Metrics: the canonical tables in, [`Metrics`] out — every number of the report, and
//! exactly the content of `metrics.json` (schema `followup/1`, SPEC §4). No I/O.
//!
//! [`facts`] makes one linear pass over the sorted touches to derive per-deal figures
//! (SPEC §3 rules 1–3); [`frames`] turns them into two polars frames, and every
//! aggregation over those rows (rules 4–8) is a polars lazy query in the file of its
//! rule: [`response`] (4), [`close`] (5), [`conversion`] (6), [`revenue`] (7),
//! [`give_up`] (8), `speed` (10), `reply_delay` (11), `spacing` (12), `late` and
//! `competing` (13, gathered by `timing`), then [`trend`], [`cohorts`], [`groups`],
//! [`due`] and [`plan`]. The per-touch counts of the at-risk rows (rules 4 and 12, the
//! trend's and the cohorts') are a polars selection of the rows counted in a loop
//! ([`frames::touch_counts_by`]): a handful of cells from millions of rows. The
//! types of metrics.json are in [`schema`]. Rates are fractions in [0, 1] and `null`
//! where the denominator is 0.
//!
//! Metrics reads the run's settings from [`MetricsOptions`] only, never the CLI or the
//! whole run configuration.

pub mod close;
pub mod cohorts;
pub mod compare;
pub(crate) mod competing;
pub mod conversion;
pub mod due;
pub mod facts;
pub mod frames;
pub mod give_up;
pub mod groups;
pub(crate) mod late;
pub mod plan;
pub(crate) mod reply_delay;
pub mod response;
pub mod revenue;
pub mod schema;
pub(crate) mod spacing;
pub(crate) mod speed;
pub mod stats;
pub mod support;
pub(crate) mod timing;
pub mod trend;
pub mod verdict;

use polars::prelude::*;

pub use schema::*;

use crate::error::{Error, Result};
use crate::ingest::formats::{Format, FormatId};
use crate::ingest::{Ingested, Ledger};
use crate::model::{day_of, Deals, Dimension, Direction, Event, Period, Status};
use crate::threads::joined;
use crate::time::{format_day, format_time};
use facts::{DealFacts, Responded};

/// What the metrics need to know of the run, decided once from the command line
/// (`From<&RunConfig>` in `config`).
#[derive(Debug, Clone, Default)]
pub struct MetricsOptions {
    /// `--as-of` day; `None`: the day of the last touch or close in the data.
    pub as_of: Option<i32>,
    /// The reporting period; `None`: all data.
    pub period: Option<Period>,
    /// `--reply-window` in days: a first response later than this after its touch is
    /// credited to no touch.
    pub reply_window: Option<u32>,
    /// `--recovered-after` F (rule 7).
    pub recovered_after: u32,
    /// `--stale-days` (rule 8).
    pub stale_days: u32,
    /// `--by` dimensions, deduplicated.
    pub by: Vec<Dimension>,
    /// `--cadence-plan`: each cadence's planned touches.
    pub plan: Option<crate::plan::Plan>,
}

/// `--recovered-after` when not given (rule 7): also what `followup check` computes with.
pub const DEFAULT_RECOVERED_AFTER: u32 = 2;
/// `--stale-days` when not given (rule 8): also what `followup check` computes with.
pub const DEFAULT_STALE_DAYS: u32 = 14;

/// The fewest deals a rate or average is read on: a figure resting on fewer is "too few
/// to read" wherever it is stated (the headline cards and their sentences, the cohort
/// cells, the trend's points, the revenue shares). The one place this number lives.
pub const SMALL_N: usize = 10;

/// Whether a figure resting on `n` deals is too few to read (n below [`SMALL_N`]).
pub fn too_few(n: usize) -> bool {
    n < SMALL_N
}

pub(crate) fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
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

/// Computes every metric from ingested tables. The touch rows are consumed: they are
/// released once the linear pass has read them, which keeps the peak memory low on big
/// exports. The ledger comes back for the report (rejected.csv).
pub fn compute(mut ing: Ingested, opts: &MetricsOptions) -> Result<Computed> {
    let timer = crate::timing::Timer::new();
    let order = facts::sort_and_dedupe(&mut ing)?;
    timer.lap("sort+dedupe");
    compute_sorted(ing, order, opts)
}

/// [`compute`] after [`facts::sort_and_dedupe`] has run on `ing` and returned `order`
/// (the kept touches): `followup check` reads the sorted touches for its per-file lines,
/// then gets its figures here, from the same computation as the report.
///
/// The memory it frees stays in the process (glibc's heap), where the later stages
/// allocate again: handing it back to the system after each stage (`malloc_trim`)
/// cost a page fault for each page used again, 0.04 s at a million deals, for 5 MB
/// less at the peak (docs/decisions.md, "Page faults and the reader's second look").
pub fn compute_sorted(mut ing: Ingested, order: Vec<u32>, opts: &MetricsOptions) -> Result<Computed> {
    let timer = crate::timing::Timer::new();
    free_unread(&mut ing);
    // The deal's cadence and owner move into the facts (completed there from touch 1).
    let keys = (std::mem::take(&mut ing.tables.deals.cadence), std::mem::take(&mut ing.tables.deals.owner));
    let starts = facts::deal_starts(&ing, &order);
    facts::put_in_order(&mut ing.tables.touches, order);
    let (f, risk) = facts::derive(&ing, &starts, opts, keys);
    drop(starts);
    timer.lap("linear pass");
    let as_of_day = opts.as_of.unwrap_or_else(|| last_day(&ing));
    let touches = touch_counts(&ing);
    ing.tables.touches = Default::default();
    ing.touch_detail = Vec::new();
    let deals = &ing.tables.deals;
    let (((deal_counts, contacted_after_opt_out), waiting_on_us), (plan_rows, due)) = std::thread::scope(|s| {
        // The deals' counts on a second core, beside the due list and the plan.
        let counts = s.spawn(|| {
            ((deal_counts(deals, &f), opt_out_contacts(deals, &f)), speed::waiting_on_us(deals, &f, as_of_day))
        });
        // The plan of each interned cadence (index into the plan's cadences).
        let plan_of: Vec<Option<u32>> = match &opts.plan {
            Some(p) => deals.text.values().iter().map(|name| p.position(name).map(|i| i as u32)).collect(),
            None => Vec::new(),
        };
        let plan_rows = opts
            .plan
            .as_ref()
            .map(|p| plan::rows(&risk, &f, deals, &plan_of, &p.cadences, as_of_day, opts.period.as_ref()));
        // The due deals, ranked once rule 4's rates are known: their ids and names are
        // copied out now so that the deals' are freed before the frames are made.
        let planned = opts.plan.as_ref().map(|p| (plan_of.as_slice(), p.cadences.as_slice()));
        let (due_rows, usual_gaps) = due::due(deals, &f, as_of_day, planned);
        let table = due::DueTable::new(due_rows, deals).map(|t| (t, usual_gaps));
        (joined(counts), (plan_rows, table))
    });
    let (mut table, usual_gaps) = due?;
    let limitations = limitations(&ing, &touches);
    ing.tables.deals.id = Default::default();
    ing.tables.deals.name = Default::default();
    timer.lap("due list");
    // The deal frame on a second thread, beside the at-risk frame and rule 4 on this
    // one: the deal frame consumes the deals and their facts (freed as its columns are
    // made), the at-risk frame reads a copy of the few per-deal keys it needs.
    let read = frames::Optional::of(opts);
    let of_deal = frames::DealKeys::of(&f, read);
    let text = std::mem::take(&mut ing.tables.deals.text);
    let deals = std::mem::take(&mut ing.tables.deals);
    let (deal_df, head) = std::thread::scope(|s| {
        let frame = s.spawn(move || frames::deal_frame(deals, f, opts, as_of_day));
        let head = (|| {
            let risk_all = frames::risk_frame(risk, of_deal, read)?;
            let risk_df = frames::in_period(risk_all.clone(), opts.period.as_ref());
            let response = response::response_by_touch(risk_df.clone())?;
            timer.lap("risk+response");
            table.rank(&response);
            Ok::<_, Error>((risk_all, risk_df, response))
        })();
        (joined(frame), head)
    });
    let (risk_all, risk_df, response) = head?;
    let deal_df = deal_df?;
    timer.lap("deal frame");
    let due_follow_ups = due::summary(&table, usual_gaps);
    let metrics = std::thread::scope(|s| {
        (|| {
            // What is left reads the two frames, each part on one core: the timing
            // rules (10–13) and the cohorts on a second thread, beside the groups, the
            // headline rules and the trend on this one.
            let second = {
                let (deal_df, risk_df, risk_all, text) = (deal_df.clone(), risk_df.clone(), risk_all.clone(), &text);
                s.spawn(move || -> Result<_> {
                    let headline = timing::timing(deal_df.clone(), risk_df, opts.period.as_ref(), text)?;
                    let cohorts = cohorts::cohorts(risk_all, deal_df, as_of_day)?;
                    Ok((headline, cohorts))
                })
            };
            let first = (|| {
                let frames = groups::Frames {
                    deals: deal_df.clone().filter(col("in_scope")),
                    all_deals: deal_df.clone(),
                    period: opts.period.as_ref(),
                    risk: risk_df,
                    text: &text,
                    recovered_after: opts.recovered_after,
                    stale_days: opts.stale_days,
                };
                let (groups, comparisons) = groups::by_dimensions(&opts.by, &frames)?;
                let plan_adherence = match (&opts.plan, plan_rows) {
                    (Some(p), Some(rows)) => plan::adherence_beside_results(rows, &p.cadences, &groups, &frames)?,
                    _ => Vec::new(),
                };
                let whole = deal_rules(deal_df.clone(), opts.recovered_after, opts.stale_days, &text)?;
                let trend = trend::trend(risk_all, deal_df, opts.recovered_after, &text)?;
                Ok::<_, Error>((groups, comparisons, plan_adherence, whole, trend))
            })();
            // The second thread's error first: the timing rules were computed first
            // when all ran on one thread.
            let (headline, cohorts) = joined(second)?;
            let (groups, comparisons, plan_adherence, whole, trend) = first?;
            timer.lap("figures");
            Ok::<_, Error>(Metrics {
                schema: SCHEMA.to_owned(),
                as_of: format_day(as_of_day),
                period: opts.period.as_ref().map(|p| PeriodOut { from: format_day(p.from), to: format_day(p.to) }),
                inputs: ing.ledger.files.clone(),
                skipped_inputs: ing.ledger.skipped.clone(),
                limitations,
                deals: deal_counts,
                touches,
                response_by_touch: response,
                touches_to_close: whole.touches_to_close,
                touches_before_loss: whole.touches_before_loss,
                conversion_after_follow_up: whole.conversion,
                revenue_recovered: whole.revenue,
                give_up: whole.give_up,
                contacted_after_opt_out,
                due_follow_ups,
                groups,
                comparisons,
                trend,
                cohorts,
                plan_adherence,
                speed_to_answer: headline.speed_to_answer.unwrap_or_default(),
                waiting_on_us,
                reply_delay: headline.reply_delay,
                spacing: headline.spacing,
                late_answers: headline.late_answers.unwrap_or_default(),
                competing_outcomes: headline.competing_outcomes.unwrap_or_default(),
            })
        })()
    });
    Ok(Computed { metrics: metrics?, ledger: ing.ledger, due: table })
}

/// Frees what the ingest keeps that no metric reads: the deals' raw stage and creation
/// time, the touches' input order (read by the sort), the deals files' versions and the
/// file of each deal. At a million deals, ~25 MB that stayed beside the linear pass.
fn free_unread(ing: &mut Ingested) {
    ing.tables.deals.stage = Vec::new();
    ing.tables.deals.created_at = Default::default();
    ing.tables.touches.seq = Default::default();
    ing.touch_detail = Vec::new();
    ing.seq_files = Vec::new();
    ing.deal_file = Vec::new();
    ing.versions = Default::default();
}

/// Rules 5–8 over one deal frame: the whole period's, or one group's.
pub(crate) struct DealRules {
    /// Rule 5, won deals.
    pub touches_to_close: TouchesToClose,
    /// Rule 5, lost deals.
    pub touches_before_loss: TouchesBeforeLoss,
    /// Rule 6.
    pub conversion: Conversion,
    /// Rule 7.
    pub revenue: RevenueRecovered,
    /// Rule 8.
    pub give_up: GiveUp,
}

/// Runs rules 5–8 over a deal frame (the same functions for the headline figures and
/// for every group, so the two cannot drift apart).
pub(crate) fn deal_rules(
    deals: LazyFrame,
    recovered_after: u32,
    stale_days: u32,
    text: &crate::model::Interner,
) -> Result<DealRules> {
    let (won, won_stats) = close::touch_stats(deals.clone(), Status::Won)?;
    let (lost, lost_stats) = close::touch_stats(deals.clone(), Status::Lost)?;
    Ok(DealRules {
        touches_to_close: TouchesToClose { won, stats: won_stats },
        touches_before_loss: TouchesBeforeLoss { lost, stats: lost_stats },
        conversion: conversion::conversion(deals.clone())?,
        revenue: revenue::revenue(deals.clone(), recovered_after, text)?,
        give_up: give_up::give_up(deals, stale_days)?,
    })
}

/// The as-of date without `--as-of` (SPEC §3 rule 9): the day of the last kept touch or
/// of the last close, whichever is later.
fn last_day(ing: &Ingested) -> i32 {
    let (deals, t) = (&ing.tables.deals, &ing.tables.touches);
    let last_touch = t.at.iter().copied().max();
    let last_close =
        (0..deals.len()).filter(|&d| deals.status[d] != Status::Open).filter_map(|d| deals.closed_at.get(d)).max();
    day_of(last_touch.max(last_close).unwrap_or(0))
}

/// Touch counts over the kept touch rows (the touches once [`facts::put_in_order`] has
/// run) and the ledger.
fn touch_counts(ing: &Ingested) -> TouchCounts {
    let t = &ing.tables.touches;
    let kept = 0..t.at.len();
    let outbound = kept.clone().filter(|&i| t.direction[i] == Direction::Outbound).count();
    let mut unknown: Vec<UnknownOutcome> =
        ing.ledger.unknown_outcomes.iter().map(|(o, &rows)| UnknownOutcome { outcome: o.clone(), rows }).collect();
    unknown.sort_by(|a, b| b.rows.cmp(&a.rows).then(a.outcome.cmp(&b.outcome)));
    TouchCounts {
        outbound,
        inbound: t.at.len() - outbound,
        bounced: ing.ledger.bounced,
        automatic_replies: kept.clone().filter(|&i| t.event[i] == Event::AutoReply).count(),
        opt_outs: kept.filter(|&i| t.event[i] == Event::OptOut).count(),
        notes_and_tasks: ing.ledger.notes_and_tasks,
        unlinked: ing.ledger.unlinked,
        planned: ing.ledger.planned,
        linked_by_account: ing.ledger.linked_by_account,
        unknown_outcomes: unknown,
    }
}

/// Deal counts over the whole input.
fn deal_counts(deals: &Deals, f: &DealFacts) -> DealCounts {
    let count = |s: Status| deals.status.iter().filter(|&&x| x == s).count();
    DealCounts {
        total: deals.len(),
        won: count(Status::Won),
        lost: count(Status::Lost),
        open: count(Status::Open),
        inbound_initiated: f.responded.iter().filter(|r| **r == Some(Responded::InboundInitiated)).count(),
        unattributed: f.responded.iter().filter(|r| matches!(r, Some(Responded::Unattributed(_)))).count(),
    }
}

/// The deals touched after they opted out (rule 2), by deal id.
fn opt_out_contacts(deals: &Deals, f: &DealFacts) -> OptOutContacts {
    let mut list: Vec<OptOutDeal> = f
        .opt_outs
        .iter()
        .filter(|o| o.touches_after > 0)
        .map(|o| {
            let d = o.deal as usize;
            OptOutDeal {
                deal_id: deals.id.get(d).to_owned(),
                name: deals.name(d).to_owned(),
                opted_out_at: format_time(o.at),
                touches_after: o.touches_after,
            }
        })
        .collect();
    list.sort_by(|a, b| a.deal_id.cmp(&b.deal_id));
    OptOutContacts { deals: list.len(), touches: list.iter().map(|o| o.touches_after as usize).sum(), list }
}

/// What the inputs cannot show (issue 3: a deals-only export gives touches to close
/// from the CRM's count, but no response by touch). Read from the ledger's formats and
/// the touch counts, before any aggregation.
fn limitations(ing: &Ingested, touches: &TouchCounts) -> Vec<String> {
    use crate::ingest::formats::{rows_of, RowKind};
    let (touch_rows, outbound) = (touches.outbound + touches.inbound, touches.outbound);
    let deal_rows_only = ing.ledger.files.iter().all(|f| rows_of(&f.format) == RowKind::Deal);
    let deals = &ing.tables.deals;
    let mut out = Vec::new();
    if touch_rows == 0 {
        out.push(if deal_rows_only {
            "Response by touch, the cohorts and the due list need an activity export (calls, emails, meetings) or a follow-up log: only a deals export was given.".to_owned()
        } else {
            "Response by touch, the cohorts and the due list need dated touches: no input gave any.".to_owned()
        });
        if deals.touch_count.any() {
            out.push("Touches to close, conversion after follow-up, revenue recovered and the give-up point count the CRM's \"Number of times contacted\"; give the activity exports for exact touches.".to_owned());
        }
    } else if outbound == 0 {
        out.push("No outbound touch in the inputs: every figure that counts touches is empty.".to_owned());
    }
    let pipedrive = ing
        .ledger
        .files
        .iter()
        .filter_map(|f| Format::parse(&f.format))
        .any(|f| matches!(f.id, FormatId::PipedriveActivities | FormatId::PipedriveApiActivities));
    if pipedrive && touch_rows > 0 {
        out.push("Pipedrive activities carry no direction or outcome: a held meeting is the only response they show, so response rates count meetings only.".to_owned());
    }
    let won_with_amount =
        (0..deals.len()).filter(|&d| deals.status[d] == Status::Won && deals.amount.get(d).is_some()).count();
    if deals.status.contains(&Status::Won) && won_with_amount == 0 {
        out.push("Revenue recovered needs amounts: no won deal has one (add or map an amount column).".to_owned());
    }
    out
}
