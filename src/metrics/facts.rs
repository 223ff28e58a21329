//! The one linear pass over the touches, sorted by (deal, at, input order), that
//! derives every per-deal figure of SPEC §3 rules 1–3: the close-day cut, touch
//! numbers, the first response and its attribution, opt-outs; and what rules 10–13 need
//! of each deal ([`DealTiming`]: the first response's direction, the touch that answers
//! it, the touch it is attributed to, waiting on us, how the chase ended) and of each
//! at-risk touch (the gap since the previous touch). Its output is two flat tables that
//! `metrics` aggregates with polars:
//!
//! - [`DealFacts`]: one row per deal (n, response state, last touch, opt-out…);
//! - [`AtRisk`]: one row per (deal, touch k) where the deal "received touch k and had
//!   not responded before it" (rule 4's `sent_k`), with whether it responded there.
//!
//! Rules resolved in docs/decisions.md are marked "decision" below.

use super::MetricsOptions;
use crate::error::Result;
use crate::ingest::Ingested;
use crate::model::{day_of, Channel, Direction, Event, Status};

/// How a deal's first response stands (rule 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responded {
    /// First response attributed to touch k.
    At(u32),
    /// First response more than `--reply-window` days after touch k (it would be k).
    Unattributed(u32),
    /// First response before touch 1.
    InboundInitiated,
}

/// How a deal ended in rule 13's competing outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Its first response is attributed to touch e.
    Responded,
    /// It opted out without responding first.
    OptedOut,
    /// Closed lost without responding.
    Lost,
    /// Anything else: open, won without a response event, unattributed.
    Censored,
}

impl Ended {
    /// The code the deal frame stores (0 is "not in rule 13": no touch 1, or
    /// inbound-initiated).
    pub fn code(self) -> u32 {
        match self {
            Ended::Responded => 1,
            Ended::OptedOut => 2,
            Ended::Lost => 3,
            Ended::Censored => 4,
        }
    }
}

/// Per-deal figures of rules 10–13 (issue 13).
#[derive(Debug, Clone, Copy, Default)]
pub struct DealTiming {
    /// Time of the first response event.
    pub first_response_at: Option<i64>,
    /// Whether that first response is an inbound touch (a reply, an incoming call, a
    /// form): a connected outbound call is a response but not a reply to be answered.
    pub inbound_first: bool,
    /// The first counted outbound touch strictly after the first response (rule 10).
    pub answer_at: Option<i64>,
    /// Time and channel of the touch the first response is attributed to (rule 11;
    /// attributed first responses only).
    pub answered_touch: Option<(i64, Channel)>,
    /// Open deals whose latest inbound response has no outbound touch (nor opt-out)
    /// after it: that response's time (rule 10, waiting on us).
    pub waiting_since: Option<i64>,
    /// Rule 13: the touch number e and the outcome; `None` for a deal without touch 1
    /// or inbound-initiated.
    pub ended: Option<(u32, Ended)>,
}

/// Per-deal figures.
#[derive(Debug, Default)]
pub struct DealFacts {
    /// Rule 5's n: counted outbound touches, or `touch_count` for deals without touch rows.
    pub n: Vec<u32>,
    /// First response and attribution.
    pub responded: Vec<Option<Responded>>,
    /// Time of the last counted outbound touch.
    pub last_out_at: Vec<Option<i64>>,
    /// Calendar day of touch 1 (deals with touch rows).
    pub first_out_day: Vec<Option<i32>>,
    /// Time of the first opt-out event.
    pub opt_out_at: Vec<Option<i64>>,
    /// Counted outbound touches after the opt-out.
    pub after_opt_out: Vec<u32>,
    /// Whether any counted outbound touch was sent in the period (all deals without one).
    pub touched_in_period: Vec<bool>,
    /// Cadence: the deal's, else its touch 1's (interned).
    pub cadence: Vec<u32>,
    /// Owner: the deal's, else its touch 1's (interned).
    pub owner: Vec<u32>,
    /// Days between touch k and touch k+1, indexed by k − 1, over every deal: the
    /// team's usual gap after each touch (for the due list).
    pub gaps: Vec<Vec<i32>>,
    /// Rules 10–13 per deal.
    pub timing: Vec<DealTiming>,
}

/// Rows of rule 4: deal d was at risk at touch k.
#[derive(Debug, Default)]
pub struct AtRisk {
    /// Deal index.
    pub deal: Vec<u32>,
    /// Touch number.
    pub k: Vec<u32>,
    /// Calendar day touch k was sent.
    pub day: Vec<i32>,
    /// Channel of touch k.
    pub channel: Vec<Channel>,
    /// Whether the first response is attributed to touch k.
    pub responded: Vec<bool>,
    /// Rule 12: calendar days from touch k−1 to touch k (`None` for touch 1).
    pub gap: Vec<Option<i32>>,
}

/// Sorts the touches by (deal, at, input order), drops duplicate rows (same deal,
/// time, channel, direction, outcome and subject; the first read is kept), and books the
/// duplicates in the ledger. Returns the kept touch indices in order.
///
/// The sort is a counting sort by deal followed by a stable sort by time inside each
/// deal (a handful of touches each); touch indices are already in input order. At 2.5M
/// touches this takes about a tenth of polars' three-key sort (0.62 s measured), and it
/// is the one row-level step that is not an aggregation.
pub fn sort_and_dedupe(ing: &mut Ingested) -> Result<Vec<u32>> {
    let t = &ing.tables.touches;
    let nd = ing.tables.deals.len();
    let mut start = vec![0u32; nd + 1];
    for &d in &t.deal {
        start[d as usize + 1] += 1;
    }
    for d in 0..nd {
        start[d + 1] += start[d];
    }
    let mut next = start.clone();
    let mut rows = vec![0u32; t.len()];
    for (i, &d) in t.deal.iter().enumerate() {
        rows[next[d as usize] as usize] = i as u32;
        next[d as usize] += 1;
    }
    for d in 0..nd {
        let group = &mut rows[start[d] as usize..start[d + 1] as usize];
        if group.len() > 1 {
            group.sort_by_key(|&i| t.at[i as usize]);
        }
    }
    let mut kept: Vec<u32> = Vec::with_capacity(rows.len());
    let mut dropped = vec![false; rows.len()];
    // Duplicates share (deal, at), so they sit in the same run of the sorted order;
    // each row is compared with the rows kept so far in its run (runs are short).
    let mut run_start = 0;
    for r in rows {
        let i = r as usize;
        let same_run = |p: usize| t.deal[p] == t.deal[i] && t.at[p] == t.at[i];
        if !kept.last().is_some_and(|&p| same_run(p as usize)) {
            run_start = kept.len();
        }
        let dup = kept[run_start..].iter().any(|&p| {
            let p = p as usize;
            t.channel[p] == t.channel[i]
                && t.direction[p] == t.direction[i]
                && ing.touch_detail[p] == ing.touch_detail[i]
        });
        if dup {
            dropped[i] = true;
        } else {
            kept.push(r);
        }
    }
    // The ledger counts rows: a row is a duplicate when all its touches were dropped.
    ing.book_duplicate_rows(&dropped)?;
    // The hashes only serve to find duplicates: free them before the linear pass.
    ing.touch_detail = Vec::new();
    Ok(kept)
}

/// The linear pass.
///
/// Longer than our ~80-line rule on purpose: it is the one hot loop over every touch
/// (millions of rows), and keeping rules 1–4 for a deal in one body lets them share the
/// per-deal scratch (`out_at`, `out_ch`) and read the rows once, in the order SPEC §3
/// gives the rules.
pub fn derive(ing: &Ingested, order: &[u32], opts: &MetricsOptions) -> (DealFacts, AtRisk) {
    let deals = &ing.tables.deals;
    let t = &ing.tables.touches;
    let nd = deals.len();
    let mut f = DealFacts {
        n: vec![0; nd],
        responded: vec![None; nd],
        last_out_at: vec![None; nd],
        first_out_day: vec![None; nd],
        opt_out_at: vec![None; nd],
        after_opt_out: vec![0; nd],
        touched_in_period: vec![opts.period.is_none(); nd],
        cadence: deals.cadence.clone(),
        owner: deals.owner.clone(),
        gaps: Vec::new(),
        timing: vec![DealTiming::default(); nd],
    };
    let mut risk = AtRisk::default();
    let mut has_rows = vec![false; nd];
    // Per-deal scratch: times and channels of the counted outbound touches.
    let mut out_at: Vec<i64> = Vec::new();
    let mut out_ch: Vec<Channel> = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let d = t.deal[order[start] as usize] as usize;
        let mut end = start;
        while end < order.len() && t.deal[order[end] as usize] as usize == d {
            end += 1;
        }
        has_rows[d] = true;
        // Rule 1: a won or lost deal keeps what happened on or before its close day
        // (decision: responses and opt-outs too).
        let cut = match deals.status[d] {
            Status::Open => None,
            _ => deals.closed_at.get(d).map(day_of),
        };
        out_at.clear();
        out_ch.clear();
        let mut first_response: Option<(i64, Direction)> = None;
        let mut opt_out: Option<i64> = None;
        // Rule 10's waiting list: the latest inbound response and the latest opt-out.
        let (mut last_inbound, mut last_opt_out): (Option<i64>, Option<i64>) = (None, None);
        for &r in &order[start..end] {
            let i = r as usize;
            if cut.is_some_and(|c| day_of(t.at[i]) > c) {
                continue;
            }
            if t.direction[i] == Direction::Outbound {
                if out_at.is_empty() {
                    if f.cadence[d] == 0 {
                        f.cadence[d] = t.cadence.get(i);
                    }
                    if f.owner[d] == 0 {
                        f.owner[d] = t.owner.get(i);
                    }
                }
                out_at.push(t.at[i]);
                out_ch.push(t.channel[i]);
            }
            match t.event[i] {
                Event::Response => {
                    if first_response.is_none() {
                        first_response = Some((t.at[i], t.direction[i]));
                    }
                    if t.direction[i] == Direction::Inbound {
                        last_inbound = Some(t.at[i]);
                    }
                }
                Event::OptOut => {
                    opt_out = opt_out.or(Some(t.at[i]));
                    last_opt_out = Some(t.at[i]);
                }
                _ => {}
            }
        }
        let n = out_at.len() as u32;
        f.n[d] = n;
        f.last_out_at[d] = out_at.last().copied();
        f.first_out_day[d] = out_at.first().map(|&a| day_of(a));
        for (j, w) in out_at.windows(2).enumerate() {
            if f.gaps.len() <= j {
                f.gaps.resize_with(j + 1, Vec::new);
            }
            f.gaps[j].push(day_of(w[1]) - day_of(w[0]));
        }
        if let (Some(p), false) = (&opts.period, f.touched_in_period[d]) {
            f.touched_in_period[d] = out_at.iter().any(|&a| p.contains(day_of(a)));
        }
        if let Some(o) = opt_out {
            f.opt_out_at[d] = Some(o);
            f.after_opt_out[d] = out_at.iter().filter(|&&a| a > o).count() as u32;
        }
        // Rule 3: attribution by time: k = outbound touches at or before the response.
        let state = first_response.map(|(resp, _)| {
            let k = out_at.partition_point(|&a| a <= resp) as u32;
            if k == 0 {
                Responded::InboundInitiated
            } else if opts
                .reply_window
                .is_some_and(|w| (day_of(resp) - day_of(out_at[k as usize - 1])) as i64 > w as i64)
            {
                Responded::Unattributed(k)
            } else {
                Responded::At(k)
            }
        });
        f.responded[d] = state;
        f.timing[d] = timing(&out_at, &out_ch, first_response, state, opt_out, deals.status[d]);
        if deals.status[d] == Status::Open {
            f.timing[d].waiting_since =
                last_inbound.filter(|&r| out_at.last().is_none_or(|&a| a <= r) && last_opt_out.is_none_or(|o| o < r));
        }
        // Rule 4: the touches at which the deal was at risk.
        let (last_at_risk, hit) = match state {
            None => (n, None),
            Some(Responded::At(k)) => (k, Some(k)),
            Some(Responded::Unattributed(k)) => (k, None),
            Some(Responded::InboundInitiated) => (0, None),
        };
        for k in 1..=last_at_risk {
            risk.deal.push(d as u32);
            risk.k.push(k);
            risk.day.push(day_of(out_at[k as usize - 1]));
            risk.channel.push(out_ch[k as usize - 1]);
            risk.responded.push(hit == Some(k));
            let k = k as usize;
            risk.gap.push((k >= 2).then(|| day_of(out_at[k - 1]) - day_of(out_at[k - 2])));
        }
        start = end;
    }
    // Rule 5: deal-level exports without touch rows use the CRM's count.
    for (d, _) in has_rows.iter().enumerate().take(nd).filter(|(_, has)| !**has) {
        if let Some(c) = deals.touch_count.get(d) {
            f.n[d] = c;
        }
    }
    (f, risk)
}

/// Rules 10, 11 and 13 for one deal, from its counted outbound touches (times and
/// channels), its first response (time, direction), its attribution and first opt-out.
fn timing(
    out_at: &[i64],
    out_ch: &[Channel],
    first_response: Option<(i64, Direction)>,
    state: Option<Responded>,
    opt_out: Option<i64>,
    status: Status,
) -> DealTiming {
    let mut t = DealTiming::default();
    if let Some((resp, dir)) = first_response {
        t.first_response_at = Some(resp);
        t.inbound_first = dir == Direction::Inbound;
        // Strictly after: a touch at the same time as the reply is the one it answers.
        t.answer_at = out_at.get(out_at.partition_point(|&a| a <= resp)).copied();
    }
    if let Some(Responded::At(k)) = state {
        let i = k as usize - 1;
        t.answered_touch = out_at.get(i).copied().zip(out_ch.get(i).copied());
    }
    let n = out_at.len() as u32;
    if n == 0 || state == Some(Responded::InboundInitiated) {
        return t;
    }
    // Rule 13: the first of response and opt-out ends the chase (decision: a response
    // at the opt-out's very time counts as a response).
    let opted_first = opt_out.filter(|&o| first_response.is_none_or(|(r, _)| o < r));
    t.ended = Some(match (opted_first, state) {
        // Decision: an opt-out before touch 1 of a deal that was touched anyway ends at 1.
        (Some(o), _) => (out_at.partition_point(|&a| a <= o).max(1) as u32, Ended::OptedOut),
        (None, Some(Responded::At(k))) => (k, Ended::Responded),
        (None, Some(Responded::Unattributed(k))) => (k, Ended::Censored),
        (None, _) if status == Status::Lost => (n, Ended::Lost),
        (None, _) => (n, Ended::Censored),
    });
    t
}
