//! The cohort table (issue 5, "The monthly run"): deals grouped by the month of their
//! touch 1, so that a young cohort is read for what it is and not judged as a failure.
//!
//! For each cohort:
//! - the Kaplan–Meier response by touch 1…6 over the cohort's deals (rule 4 restricted
//!   to them). KM censors the deals not yet followed up that far, so a month-old cohort
//!   is not penalised for touches it has not had time to receive; past the highest
//!   touch any deal of the cohort received, the cell is null;
//! - won within 30, 60 and 90 days of touch 1: the won deals closed at most D days after
//!   their touch 1, over the cohort's deals whose touch 1 is at least D days before the
//!   as-of date (the deals that have had D days). A cohort with no such deal shows null
//!   ("too young"), never 0%.
//!
//! Decisions (docs/decisions.md): the table always covers every month in the data,
//! whatever `--month` or `--from`/`--to` say (like the trend); deals without touch rows
//! (a deals-only export) have no touch 1 and are in no cohort; inbound-initiated deals
//! count in `deals` and in won-within, and are left out of the response columns as in
//! rule 4.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::frames::{status_code, touch_counts_by};
use super::{ratio, stats};
use crate::error::Result;
use crate::model::Status;
use crate::time::month_label;

/// Touch numbers the cohort table follows.
pub const COHORT_TOUCHES: u32 = 6;
/// The won-within horizons, in days.
pub const WON_WITHIN_DAYS: [u32; 3] = [30, 60, 90];

/// One cohort: the deals whose touch 1 fell in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// Month of touch 1 (YYYY-MM).
    pub month: String,
    /// Deals whose touch 1 fell in the month.
    pub deals: usize,
    /// Deals at risk at touch 1 (the base of the response columns: `deals` less the
    /// inbound-initiated ones).
    pub touch_1_sent: u64,
    /// Kaplan–Meier share responding by touch k, k = 1…6 (index k − 1); null past the
    /// highest touch any deal of the cohort received.
    pub response_km: Vec<Option<f64>>,
    /// Won within 30, 60 and 90 days of touch 1.
    pub won_within: Vec<WonWithin>,
}

/// Won within D days of touch 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WonWithin {
    /// D.
    pub days: u32,
    /// Deals of the cohort whose touch 1 is at least D days before the as-of date.
    pub eligible: usize,
    /// Of those, the won deals closed at most D days after touch 1.
    pub won: usize,
    /// won / eligible; null when no deal is eligible yet.
    pub rate: Option<f64>,
}

impl Cohort {
    /// Whether the response columns rest on too few deals (sent touch 1) to be read.
    pub fn response_too_few(&self) -> bool {
        super::too_few(usize::try_from(self.touch_1_sent).unwrap_or(usize::MAX))
    }
}

impl WonWithin {
    /// Whether the rate rests on too few eligible deals to be read.
    pub fn too_few(&self) -> bool {
        super::too_few(self.eligible)
    }
}

/// Computes the cohort table from the at-risk rows (all months, with a `cohort`
/// column) and the deal frame (`cohort`, `t1_day` and `days_to_won` columns); a deal's
/// age is the days from its touch 1 to `as_of_day`.
pub fn cohorts(risk: LazyFrame, deals: LazyFrame, as_of_day: i32) -> Result<Vec<Cohort>> {
    let by_touch = touch_counts_by(risk, "cohort", COHORT_TOUCHES)?;
    let per_deal = per_cohort(deals, as_of_day)?;
    let months: Vec<u64> = per_deal.keys().map(|&c| u64::try_from(c).unwrap_or(0)).collect();
    let deal_counts: Vec<u64> = per_deal.values().map(|c| c.deals).collect();
    let mut won_cols = Vec::new();
    for (j, d) in WON_WITHIN_DAYS.into_iter().enumerate() {
        let eligible = per_deal.values().map(|c| c.eligible[j]).collect::<Vec<u64>>();
        won_cols.push((d, eligible, per_deal.values().map(|c| c.won[j]).collect::<Vec<u64>>()));
    }
    let mut out = Vec::with_capacity(months.len());
    for (i, &m) in months.iter().enumerate() {
        let mut steps = vec![(0u64, 0u64); COHORT_TOUCHES as usize];
        for &(_, k, sent, resp) in by_touch.iter().filter(|t| t.0 as u64 == m) {
            steps[k as usize - 1] = (sent, resp);
        }
        let reached = steps.iter().rposition(|s| s.0 > 0).map_or(0, |p| p + 1);
        let km = stats::kaplan_meier(&steps[..reached]);
        let mut response_km: Vec<Option<f64>> = km.iter().map(|p| Some(p.cumulative)).collect();
        response_km.resize(COHORT_TOUCHES as usize, None);
        out.push(Cohort {
            month: month_label(m as i32),
            deals: deal_counts[i] as usize,
            touch_1_sent: steps[0].0,
            response_km,
            won_within: won_cols
                .iter()
                .map(|(d, eligible, won)| WonWithin {
                    days: *d,
                    eligible: eligible[i] as usize,
                    won: won[i] as usize,
                    rate: ratio(won[i] as usize, eligible[i] as usize),
                })
                .collect(),
        });
    }
    Ok(out)
}

/// One cohort's deal counts: its deals, and per won-within horizon the eligible deals
/// and the won ones.
#[derive(Default)]
struct DealCounts {
    deals: u64,
    eligible: [u64; WON_WITHIN_DAYS.len()],
    won: [u64; WON_WITHIN_DAYS.len()],
}

/// The deal counts per cohort (month of touch 1), in month order: polars selects the
/// four columns (no copy of a frame in memory), a loop counts them. A polars group-by
/// over the million deals held ~25 MB of temporaries at the run's peak for a few dozen
/// cells (docs/decisions.md, "Metrics memory, fourth round").
fn per_cohort(deals: LazyFrame, as_of_day: i32) -> Result<BTreeMap<i32, DealCounts>> {
    let df = deals.select([col("cohort"), col("t1_day"), col("status"), col("days_to_won")]).collect()?;
    let won = status_code(Status::Won);
    let (cohort, t1_day) = (df.column("cohort")?.i32()?, df.column("t1_day")?.i32()?);
    let (status, days_to_won) = (df.column("status")?.i32()?, df.column("days_to_won")?.i32()?);
    let mut out: BTreeMap<i32, DealCounts> = BTreeMap::new();
    let rows = cohort.iter().zip(t1_day.iter()).zip(status.iter()).zip(days_to_won.iter());
    for (((cohort, t1_day), status), days_to_won) in rows {
        let Some(cohort) = cohort else { continue };
        // As the deal frame's `age` was: as-of day less touch 1's day, in i32.
        let age = t1_day.map(|t1| as_of_day - t1);
        let c = out.entry(cohort).or_default();
        c.deals = c.deals.saturating_add(1);
        for (j, d) in WON_WITHIN_DAYS.into_iter().enumerate() {
            // As polars' sums of the conditions: a null in any makes the row not count.
            let d = d as i32;
            if age.is_some_and(|a| a >= d) {
                c.eligible[j] = c.eligible[j].saturating_add(1);
                if status == Some(won) && days_to_won.is_some_and(|w| w <= d) {
                    c.won[j] = c.won[j].saturating_add(1);
                }
            }
        }
    }
    Ok(out)
}
