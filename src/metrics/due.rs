//! "Due a follow-up": the open deals to chase now (issue 5). A deal is due when it is
//! open, has not responded, has not opted out, has had at least one touch, and its last
//! touch is at least as old (in days, at the as-of date) as the team's median gap
//! between that touch and the next one. Due deals are ranked by the response rate of
//! their next touch (the rate the team gets at that touch number: what is still
//! available), then by amount (largest first), then by deal id.
//!
//! With `--cadence-plan` the planned gap would replace the team's median; until then
//! the median of what the team actually does is the yardstick. A touch number no deal
//! has ever gone past uses the gap of the highest touch number that has one.

use serde::{Deserialize, Serialize};

use super::facts::DealFacts;
use super::TouchRate;
use crate::ingest::cells::format_day;
use crate::model::{day_of, Deals, Status};

/// One deal due a follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueDeal {
    /// Deal id.
    pub deal_id: String,
    /// Deal name.
    pub name: String,
    /// Owner ("" when unknown).
    pub owner: String,
    /// Cadence ("" when none).
    pub cadence: String,
    /// Outbound touches so far.
    pub touches: u32,
    /// Day of the last touch.
    pub last_touch: String,
    /// Days since the last touch, at the as-of date.
    pub days_since: i32,
    /// The team's median gap after this touch number, in days.
    pub usual_gap_days: i32,
    /// The touch to send next.
    pub next_touch: u32,
    /// The team's response rate at that touch; null when no deal got that far.
    pub next_touch_rate: Option<f64>,
    /// Amount, if known.
    pub amount: Option<f64>,
    /// Currency of the amount.
    pub currency: String,
}

/// The due list, and how many deals are on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DueList {
    /// Deals due, in all.
    pub deals: usize,
    /// The first 100 in rank order (the whole list is tables/due_follow_ups.csv).
    pub top: Vec<DueDeal>,
    /// The team's median gap after touch k, in days, indexed by k − 1.
    pub usual_gaps: Vec<i32>,
}

fn median(v: &mut [i32]) -> Option<i32> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    // The lower middle for an even count: a gap is a whole number of days.
    Some(v[(n - 1) / 2])
}

/// The whole ranked due list, and the team's usual gap after each touch number.
pub fn due(deals: &Deals, f: &mut DealFacts, rates: &[TouchRate], as_of_day: i32) -> (Vec<DueDeal>, Vec<i32>) {
    let usual: Vec<i32> = std::mem::take(&mut f.gaps).iter_mut().map_while(|g| median(g)).collect();
    let mut out: Vec<DueDeal> = (0..deals.len())
        .filter(|&d| deals.status[d] == Status::Open && f.responded[d].is_none() && f.opt_out_at[d].is_none())
        .filter_map(|d| {
            let last = day_of(f.last_out_at[d]?);
            let n = f.n[d];
            let gap = *usual.get(n as usize - 1).or(usual.last())?;
            let days_since = as_of_day - last;
            (days_since >= gap).then(|| DueDeal {
                deal_id: deals.id.get(d).to_owned(),
                name: deals.name(d).to_owned(),
                owner: deals.text.get(f.owner[d]).to_owned(),
                cadence: deals.text.get(f.cadence[d]).to_owned(),
                touches: n,
                last_touch: format_day(last),
                days_since,
                usual_gap_days: gap,
                next_touch: n + 1,
                next_touch_rate: rates.get(n as usize).and_then(|r| r.rate),
                amount: deals.amount[d],
                currency: deals.text.get(deals.currency[d]).to_owned(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        let rate = |x: &DueDeal| x.next_touch_rate.unwrap_or(-1.0);
        rate(b)
            .total_cmp(&rate(a))
            .then(b.amount.unwrap_or(-1.0).total_cmp(&a.amount.unwrap_or(-1.0)))
            .then_with(|| a.deal_id.cmp(&b.deal_id))
    });
    (out, usual)
}

/// The metrics.json view of the list.
pub fn summary(all: &[DueDeal], usual_gaps: Vec<i32>) -> DueList {
    DueList { deals: all.len(), top: all.iter().take(100).cloned().collect(), usual_gaps }
}
