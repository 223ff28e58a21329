//! "Due a follow-up": the open deals to chase now (issue 5). A deal is due when it is
//! open, has not responded, has not opted out, has had at least one touch, and its last
//! touch is at least as old (in days, at the as-of date) as the team's median gap
//! between that touch and the next one. Due deals are ranked by the response rate of
//! their next touch (the rate the team gets at that touch number: what is still
//! available), then by amount (largest first), then by input order.
//!
//! With `--cadence-plan`, a deal whose cadence has a plan waits the planned gap between
//! its last touch and the next planned one; past the end of its plan, and for
//! cadences without a plan, the median of what the team actually does is the yardstick. A touch number no deal
//! has ever gone past uses the gap of the highest touch number that has one.

use serde::{Deserialize, Serialize};

use super::facts::DealFacts;
use super::schema::named;
use super::TouchRate;
use crate::model::{Deals, Status};
use crate::plan::CadencePlan;
use crate::time::format_day;

/// Where a due deal's gap comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GapFrom {
    /// The cadence plan (`--cadence-plan`) names the gap after this touch.
    Plan,
    /// The team's median gap after this touch number (also what a metrics.json written
    /// before plans existed means).
    #[default]
    TeamMedian,
}

named!(GapFrom { Plan => "plan", TeamMedian => "team median" });

impl GapFrom {
    /// The source of a gap: the plan's when it came from one.
    pub fn of(planned: bool) -> Self {
        if planned {
            GapFrom::Plan
        } else {
            GapFrom::TeamMedian
        }
    }
}

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
    /// The gap waited for after this touch number, in days: the cadence plan's, else
    /// the team's median.
    pub usual_gap_days: i32,
    /// `plan` when the gap comes from `--cadence-plan`, else `team median`.
    #[serde(default)]
    pub gap_from: GapFrom,
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

/// The median of values given as counts (value → how many times it occurs).
fn median(counts: &rustc_hash::FxHashMap<i32, u64>) -> Option<i32> {
    let total = counts.values().fold(0u64, |a, &c| a.saturating_add(c));
    if total == 0 {
        return None;
    }
    // The lower middle for an even count: a gap is a whole number of days.
    let mut values: Vec<(i32, u64)> = counts.iter().map(|(&v, &c)| (v, c)).collect();
    values.sort_unstable();
    super::stats::nth_counted(values, (total - 1) / 2)
}

/// One due deal, compact: indices into the deals table and numbers (a million-deal
/// export can have a hundred thousand due deals).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DueRow {
    /// Deal index.
    pub deal: u32,
    /// Outbound touches so far.
    pub touches: u32,
    /// Day of the last touch.
    pub last_day: i32,
    /// Days since the last touch.
    pub days_since: i32,
    /// The team's usual gap after this touch number.
    pub gap: i32,
    /// Response rate of the next touch (`None` until [`DueTable::rank`] sets it).
    pub rate: Option<f64>,
    /// Owner (interned).
    pub owner: u32,
    /// Cadence (interned).
    pub cadence: u32,
    /// The gap comes from the cadence plan, not the team's median.
    pub planned: bool,
}

/// The whole due list, with just the deal text its rows need, so the full deals table
/// can be freed before rendering. Read in rank order once ranked ([`DueTable::rank`]).
#[derive(Debug, Default)]
pub struct DueTable {
    /// The rows.
    rows: Vec<DueRow>,
    /// Deal id of each row.
    ids: crate::model::StrCol,
    /// Deal name of each row.
    names: crate::model::StrCol,
    /// Amount of each row's deal.
    amounts: Vec<Option<f64>>,
    /// Currency of each row's deal (interned in `text`).
    currencies: Vec<u32>,
    /// Interned owner, cadence and currency names.
    pub text: crate::model::Interner,
}

impl DueTable {
    /// Copies what the rows need out of the deals table.
    pub fn new(rows: Vec<DueRow>, deals: &Deals) -> crate::error::Result<Self> {
        let mut t = DueTable {
            rows: Vec::with_capacity(rows.len()),
            amounts: Vec::with_capacity(rows.len()),
            currencies: Vec::with_capacity(rows.len()),
            text: deals.text.clone(),
            ..Default::default()
        };
        let ids: usize = rows.iter().map(|r| deals.id.get(r.deal as usize).len()).sum();
        let names: usize = rows.iter().map(|r| deals.name(r.deal as usize).len()).sum();
        t.ids.reserve(rows.len(), ids);
        t.names.reserve(rows.len(), names);
        for r in rows {
            let d = r.deal as usize;
            t.push(r, deals.id.get(d), deals.name(d), deals.amount.get(d), deals.currency[d])?;
        }
        Ok(t)
    }

    /// Adds a row with its deal's id, name, amount and currency (interned in `text`).
    pub fn push(
        &mut self,
        row: DueRow,
        id: &str,
        name: &str,
        amount: Option<f64>,
        currency: u32,
    ) -> crate::error::Result<()> {
        // An error (past 4 GiB of text) ends the run: the table is not read again.
        self.ids.push(id)?;
        self.names.push(name)?;
        self.rows.push(row);
        self.amounts.push(amount);
        self.currencies.push(currency);
        Ok(())
    }

    /// Sets each row's next-touch rate from rule 4's `rates` (indexed by touch number)
    /// and ranks the rows: next-touch rate, then amount (both descending), then input
    /// order (a deal is on the list once: the order is total). The table is made before
    /// the rates are known so that the deals' ids and names are freed early.
    pub fn rank(&mut self, rates: &[TouchRate]) {
        for r in &mut self.rows {
            r.rate = rates.get(r.touches as usize).and_then(|t| t.rate);
        }
        // Integer keys, made once (24 bytes a row): made in each comparison instead, the
        // sort of 150,000 due deals took 50 ms.
        let desc = |v: Option<f64>| u64::MAX - ordered(v.unwrap_or(-1.0));
        let mut keys: Vec<(u64, u64, u32, u32)> = (self.rows.iter().zip(&self.amounts).enumerate())
            .map(|(i, (r, &amount))| (desc(r.rate), desc(amount), r.deal, i as u32))
            .collect();
        keys.sort_unstable();
        // The rows put in rank order in place (a ranked copy held 20 MB more at a
        // million deals, at the metrics' peak memory); the text stays where it is.
        let order: Vec<u32> = keys.into_iter().map(|k| k.3).collect();
        crate::model::permute(&mut self.rows, &order);
        crate::model::permute(&mut self.amounts, &order);
        crate::model::permute(&mut self.currencies, &order);
        self.ids.reorder(&order);
        self.names.reorder(&order);
    }

    /// How many deals are due.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no deal is due.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `i` (in rank order once ranked).
    pub fn row(&self, i: usize) -> &DueRow {
        &self.rows[i]
    }

    /// The deal id of row `i`.
    pub fn id(&self, i: usize) -> &str {
        self.ids.get(i)
    }

    /// The deal name of row `i`.
    pub fn name(&self, i: usize) -> &str {
        self.names.get(i)
    }

    /// The amount of row `i`'s deal.
    pub fn amount(&self, i: usize) -> Option<f64> {
        self.amounts.get(i).copied().flatten()
    }

    /// The currency of row `i`'s deal (interned in `text`).
    pub fn currency(&self, i: usize) -> u32 {
        self.currencies.get(i).copied().unwrap_or(0)
    }

    /// Row `i` with its text, for metrics.json and the page.
    pub fn deal(&self, i: usize) -> DueDeal {
        let r = self.row(i);
        DueDeal {
            deal_id: self.id(i).to_owned(),
            name: self.name(i).to_owned(),
            owner: self.text.get(r.owner).to_owned(),
            cadence: self.text.get(r.cadence).to_owned(),
            touches: r.touches,
            last_touch: format_day(r.last_day),
            days_since: r.days_since,
            usual_gap_days: r.gap,
            gap_from: GapFrom::of(r.planned),
            next_touch: r.touches + 1,
            next_touch_rate: r.rate,
            amount: self.amount(i),
            currency: self.text.get(self.currency(i)).to_owned(),
        }
    }
}

/// An f64 as a u64 with the same order (IEEE total order).
fn ordered(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The due rows in deal order, not yet ranked (no rate: see [`DueTable::rank`]), and
/// the team's usual gap after each touch number. With a cadence plan (`plan_of[c]` =
/// the plan of interned cadence c), a deal whose cadence has a plan and whose next
/// touch is in it waits the planned gap instead.
pub fn due(
    deals: &Deals,
    f: &DealFacts,
    as_of_day: i32,
    plan: Option<(&[Option<u32>], &[CadencePlan])>,
) -> (Vec<DueRow>, Vec<i32>) {
    let usual: Vec<i32> = f.gaps.iter().map_while(median).collect();
    let planned_gap = |cadence: u32, n: u32| -> Option<i32> {
        let (plan_of, plans) = plan?;
        let p = plan_of.get(cadence as usize).copied().flatten()?;
        plans[p as usize].gap_after(n)
    };
    let out: Vec<DueRow> = (0..deals.len())
        .filter(|&d| deals.status[d] == Status::Open && f.responded[d].is_none() && !f.opted_out[d])
        .filter_map(|d| {
            let last = f.last_out_day[d].get()?;
            let n = f.n[d];
            let from_plan = planned_gap(f.cadence[d], n);
            let gap = match from_plan {
                Some(g) => g,
                None => *usual.get(n as usize - 1).or(usual.last())?,
            };
            let days_since = as_of_day - last;
            (days_since >= gap).then(|| DueRow {
                deal: d as u32,
                touches: n,
                last_day: last,
                days_since,
                gap,
                rate: None,
                owner: f.owner[d],
                cadence: f.cadence[d],
                planned: from_plan.is_some(),
            })
        })
        .collect();
    (out, usual)
}

/// The metrics.json view of the list.
pub fn summary(table: &DueTable, usual_gaps: Vec<i32>) -> DueList {
    DueList { deals: table.len(), top: (0..table.len().min(100)).map(|i| table.deal(i)).collect(), usual_gaps }
}
