//! How closely each cadence's plan was kept (`--cadence-plan`, issue 5).
//!
//! A deal follows its cadence's plan from its touch 1 (day t₁): planned touch k falls
//! due on t₁ + dayₖ. A planned follow-up (k ≥ 2) is **due** when that day is on or
//! before the as-of date, the deal had not responded before touch k (the sequence
//! stops at the first response, rule 3), and the deal was not closed before that day
//! (the close-day cut of rule 1). It is **sent** when the deal has an outbound touch k;
//! its **days late** are the day touch k was sent minus its planned day (negative:
//! early). With a period, the planned touches due in the period count.
//!
//! Inbound-initiated deals never started the sequence and are left out. The per-deal
//! rows come from the at-risk rows of rule 4 (touch k's day and channel while the deal
//! had not responded); polars aggregates them per cadence.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::facts::{AtRisk, DealFacts, Responded};
use super::frames::u64_col;
use super::groups::{Frames, GroupMetrics};
use super::ratio;
use crate::error::Result;
use crate::model::{day_of, Deals, Dimension, Period, Status};
use crate::plan::CadencePlan;

/// Adherence to one cadence's plan, beside its results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanAdherence {
    /// The cadence, as the plan names it.
    pub cadence: String,
    /// Touches in the plan.
    pub planned_touches: u32,
    /// Deals of the cadence that started the sequence (touch 1 sent; in the period).
    pub deals: usize,
    /// Planned follow-ups (touch 2 onwards) that fell due.
    pub due: usize,
    /// Of those, the ones sent.
    pub sent: usize,
    /// sent / due.
    pub share_sent: Option<f64>,
    /// Median days late of the sent ones (negative: early).
    pub median_days_late: Option<f64>,
    /// Share of the sent ones on the planned channel (null when the plan names none).
    pub on_planned_channel: Option<f64>,
    /// The cadence's conversion after follow-up (rule 6).
    pub conversion_rate: Option<f64>,
    /// The cadence's Kaplan–Meier response by its last planned touch (or the last touch
    /// sent, when fewer).
    pub response_km: Option<f64>,
    /// The touch `response_km` is read at.
    pub response_km_touch: u32,
}

/// The planned touches of every deal that follows a plan, one row each, with the
/// columns the aggregation needs.
#[derive(Debug, Default)]
pub struct PlanRows {
    /// Index of the cadence in the plan.
    cadence: Vec<u32>,
    /// Touch number (1 marks a deal that started the sequence).
    k: Vec<u32>,
    /// Sent?
    sent: Vec<bool>,
    /// Days late, when sent.
    late: Vec<Option<i32>>,
    /// On the planned channel, when sent and the plan names one.
    on_channel: Vec<Option<bool>>,
}

/// Builds the rows from the at-risk rows (grouped by deal, in touch order, as
/// `facts::derive` writes them). `plans[c]` is the plan of interned cadence c.
pub fn rows(
    risk: &AtRisk,
    f: &DealFacts,
    deals: &Deals,
    plans: &[Option<u32>],
    all: &[CadencePlan],
    as_of_day: i32,
    period: Option<&Period>,
) -> PlanRows {
    let mut out = PlanRows::default();
    let in_period = |day: i32| period.is_none_or(|p| p.contains(day));
    let mut i = 0;
    while i < risk.deal.len() {
        let d = risk.deal[i] as usize;
        let mut end = i;
        while end < risk.deal.len() && risk.deal[end] as usize == d {
            end += 1;
        }
        let rows = i..end;
        i = end;
        let Some(pi) = plans.get(f.cadence[d] as usize).copied().flatten() else { continue };
        let plan = &all[pi as usize];
        let t1 = risk.day[rows.start];
        if in_period(t1) {
            out.push(pi, 1, true, None, None);
        }
        // The sequence stops at the first response: touches after it are not due.
        let answered_at = match f.responded[d] {
            Some(Responded::At(k)) | Some(Responded::Unattributed(k)) => Some(k),
            _ => None,
        };
        let closed = match deals.status[d] {
            Status::Open => None,
            _ => deals.closed_at.get(d).map(day_of),
        };
        for (j, planned) in plan.touches.iter().enumerate().skip(1) {
            let k = j as u32 + 1;
            let due_day = t1 + planned.day;
            if due_day > as_of_day
                || closed.is_some_and(|c| due_day > c)
                || answered_at.is_some_and(|a| a < k)
                || !in_period(due_day)
            {
                continue;
            }
            // At-risk row of touch k, if the deal received it: a deal's rows are
            // touches 1, 2, … in order.
            let row = Some(rows.start + j).filter(|r| rows.contains(r));
            match row {
                Some(r) => {
                    out.push(pi, k, true, Some(risk.day[r] - due_day), planned.channel.map(|c| c == risk.channel[r]))
                }
                None => out.push(pi, k, false, None, None),
            }
        }
    }
    out
}

impl PlanRows {
    fn push(&mut self, cadence: u32, k: u32, sent: bool, late: Option<i32>, on_channel: Option<bool>) {
        self.cadence.push(cadence);
        self.k.push(k);
        self.sent.push(sent);
        self.late.push(late);
        self.on_channel.push(on_channel);
    }
}

/// [`adherence`] beside each cadence's results: its conversion and response by touch
/// from the cadence groups (those of `--by cadence` when computed, else computed here).
pub fn adherence_beside_results(
    rows: PlanRows,
    all: &[CadencePlan],
    groups: &BTreeMap<Dimension, Vec<GroupMetrics>>,
    frames: &Frames,
) -> Result<Vec<PlanAdherence>> {
    let by_cadence = match groups.get(&Dimension::Cadence) {
        Some(g) => g.clone(),
        None => super::groups::compute(Dimension::Cadence, frames)?.0,
    };
    adherence(rows, all, |name| {
        let key = name.trim().to_lowercase();
        by_cadence.iter().find(|g| g.key.trim().to_lowercase() == key).map_or((None, Vec::new()), |g| {
            (g.conversion_after_follow_up.as_ref().and_then(|c| c.rate), g.response_by_touch.clone())
        })
    })
}

/// Aggregates the rows per cadence of the plan; `results(name)` gives the cadence's
/// conversion rate and its response by touch (from the groups machinery).
pub fn adherence(
    rows: PlanRows,
    all: &[CadencePlan],
    results: impl Fn(&str) -> (Option<f64>, Vec<super::TouchRate>),
) -> Result<Vec<PlanAdherence>> {
    let df = DataFrame::new(
        rows.k.len(),
        vec![
            Column::new("cadence".into(), rows.cadence),
            Column::new("k".into(), rows.k),
            Column::new("sent".into(), rows.sent),
            Column::new("late".into(), rows.late),
            Column::new("on_channel".into(), rows.on_channel),
        ],
    )?;
    let follow_up = col("k").gt_eq(lit(2u32));
    let agg = df
        .lazy()
        .group_by([col("cadence")])
        .agg([
            col("k").eq(lit(1u32)).cast(DataType::UInt64).sum().alias("deals"),
            follow_up.clone().cast(DataType::UInt64).sum().alias("due"),
            col("sent").and(follow_up.clone()).cast(DataType::UInt64).sum().alias("sent"),
            col("late").filter(follow_up.clone()).cast(DataType::Float64).median().alias("late"),
            col("on_channel").filter(follow_up).cast(DataType::Float64).mean().alias("on_channel"),
        ])
        .collect()?;
    let ids = u64_col(&agg, "cadence")?;
    let (deals, due, sent) = (u64_col(&agg, "deals")?, u64_col(&agg, "due")?, u64_col(&agg, "sent")?);
    let (late, on_channel) = (agg.column("late")?.f64()?.clone(), agg.column("on_channel")?.f64()?.clone());
    let mut out: Vec<PlanAdherence> = all
        .iter()
        .map(|p| {
            let (conversion_rate, rates) = results(&p.name);
            let at = rates.len().min(p.touches.len());
            PlanAdherence {
                cadence: p.name.clone(),
                planned_touches: p.touches.len() as u32,
                deals: 0,
                due: 0,
                sent: 0,
                share_sent: None,
                median_days_late: None,
                on_planned_channel: None,
                conversion_rate,
                response_km: at.checked_sub(1).and_then(|i| rates[i].cumulative_km),
                response_km_touch: at as u32,
            }
        })
        .collect();
    for (i, &c) in ids.iter().enumerate() {
        let a = &mut out[c as usize];
        a.deals = deals[i] as usize;
        a.due = due[i] as usize;
        a.sent = sent[i] as usize;
        a.share_sent = ratio(a.sent, a.due);
        a.median_days_late = late.get(i);
        a.on_planned_channel = on_channel.get(i);
    }
    Ok(out)
}
