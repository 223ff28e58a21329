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

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::frames::{is, touch_counts_by, u64_col};
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
/// column) and the deal frame (`cohort`, `age` and `days_to_won` columns).
pub fn cohorts(risk: LazyFrame, deals: LazyFrame) -> Result<Vec<Cohort>> {
    let by_touch = touch_counts_by(risk, "cohort", COHORT_TOUCHES)?;
    let mut aggs = vec![len().alias("deals")];
    for d in WON_WITHIN_DAYS {
        let eligible = col("age").gt_eq(lit(d as i32));
        aggs.push(eligible.clone().cast(DataType::UInt64).sum().alias(format!("eligible_{d}")));
        let won = eligible.and(is(Status::Won)).and(col("days_to_won").lt_eq(lit(d as i32)));
        aggs.push(won.cast(DataType::UInt64).sum().alias(format!("won_{d}")));
    }
    let per_deal = deals
        .filter(col("cohort").is_not_null())
        .group_by([col("cohort")])
        .agg(aggs)
        .sort(["cohort"], SortMultipleOptions::default())
        .collect()?;

    let months = u64_col(&per_deal, "cohort")?;
    let deal_counts = u64_col(&per_deal, "deals")?;
    let mut won_cols = Vec::new();
    for d in WON_WITHIN_DAYS {
        won_cols.push((d, u64_col(&per_deal, &format!("eligible_{d}"))?, u64_col(&per_deal, &format!("won_{d}"))?));
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
