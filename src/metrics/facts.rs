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

use super::{GapBucket, MetricsOptions};
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

/// Values that a few of all deals have, in deal order: the deal indices and their
/// values side by side (12 bytes a deal that has one, instead of 8 for every deal).
/// The linear pass pushes each deal at most once, in ascending deal order.
#[derive(Debug, Default, PartialEq)]
pub struct Sparse<T> {
    /// Deal indices, ascending.
    pub deals: Vec<u32>,
    /// The value of each.
    pub values: Vec<T>,
}

impl<T: Copy> Sparse<T> {
    /// Deal `d`'s value (`d` above every deal pushed so far).
    pub fn push(&mut self, d: usize, v: T) {
        self.deals.push(d as u32);
        self.values.push(v);
    }

    /// One value or none for each deal `0..n`.
    pub fn dense(&self, n: usize) -> impl Iterator<Item = Option<T>> + '_ {
        dense(&self.deals, &self.values, n)
    }
}

/// One value or none for each deal `0..n`, from values of the (ascending) `deals`.
pub fn dense<'a, T: Copy>(deals: &'a [u32], values: &'a [T], n: usize) -> impl Iterator<Item = Option<T>> + 'a {
    let mut next = 0;
    (0..n).map(move |d| match deals.get(next) {
        Some(&x) if x as usize == d => {
            next += 1;
            values.get(next - 1).copied()
        }
        _ => None,
    })
}

/// An optional calendar day in 4 bytes (`Option<i32>` takes 8): every deal holds three.
/// `i32::MIN` stands for none; no time the ingest reads falls on that day (some
/// 5.9 million years before 1970).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaybeDay(i32);

impl MaybeDay {
    /// No day.
    pub const NONE: MaybeDay = MaybeDay(i32::MIN);

    /// The day of a time.
    pub fn of(time: i64) -> Self {
        MaybeDay(day_of(time))
    }

    /// The day, if there is one.
    pub fn get(self) -> Option<i32> {
        (self != Self::NONE).then_some(self.0)
    }
}

/// Per-deal figures of rules 10–13 (issue 13), one column each, in the compact form
/// the deal frame reads (at a million deals, `Option<i64>` times per deal were the
/// linear pass's largest output). Each column is taken and freed by the deal frame.
#[derive(Debug, Default, PartialEq)]
pub struct DealTiming {
    /// Day of the first response event.
    pub first_response_day: Vec<MaybeDay>,
    /// Whether that first response is an inbound touch (a reply, an incoming call, a
    /// form): a connected outbound call is a response but not a reply to be answered.
    pub inbound_first: Vec<bool>,
    /// Rule 10: seconds from an inbound first response to the first counted outbound
    /// touch strictly after it, for the deals whose first response is inbound and was
    /// answered (at a million deals, 7% of them).
    pub answer_secs: Sparse<i64>,
    /// Rule 11: seconds from the touch an attributed first response is attributed to,
    /// to the response, for those deals (16% at a million).
    pub delay_secs: Sparse<i64>,
    /// Rule 11: the channel (`Channel as u8`) of that touch, beside `delay_secs.values`.
    pub delay_channel: Vec<u8>,
    /// Rule 13: the touch number e (0: not in rule 13, no touch 1 or inbound-initiated).
    pub ended_at: Vec<u32>,
    /// Rule 13: the outcome's [`Ended::code`] (0: not in rule 13).
    pub ended: Vec<u8>,
    /// Open deals whose latest inbound response has no outbound touch (nor opt-out)
    /// after it, with that response's time (rule 10, waiting on us), in deal order: a
    /// few of all deals.
    pub waiting: Vec<(u32, i64)>,
}

/// One deal's opt-out (rule 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptOut {
    /// Deal index.
    pub deal: u32,
    /// Time of the first opt-out event.
    pub at: i64,
    /// Counted outbound touches after it.
    pub touches_after: u32,
}

/// Per-deal figures.
#[derive(Debug, Default, PartialEq)]
pub struct DealFacts {
    /// Rule 5's n: counted outbound touches, or `touch_count` for deals without touch rows.
    pub n: Vec<u32>,
    /// First response and attribution.
    pub responded: Vec<Option<Responded>>,
    /// Calendar day of the last counted outbound touch.
    pub last_out_day: Vec<MaybeDay>,
    /// Calendar day of touch 1 (deals with touch rows).
    pub first_out_day: Vec<MaybeDay>,
    /// Whether the deal opted out (see `opt_outs`).
    pub opted_out: Vec<bool>,
    /// The deals that opted out, in deal order (a few of all deals).
    pub opt_outs: Vec<OptOut>,
    /// Whether any counted outbound touch was sent in the period (all deals without one).
    pub touched_in_period: Vec<bool>,
    /// Cadence: the deal's, else its touch 1's (interned).
    pub cadence: Vec<u32>,
    /// Owner: the deal's, else its touch 1's (interned).
    pub owner: Vec<u32>,
    /// Days between touch k and touch k+1, indexed by k − 1, over every deal, counted
    /// by value (days → deals): the team's usual gap after each touch (for the due
    /// list). Counts rather than one entry per touch: a few distinct values each.
    pub gaps: Vec<rustc_hash::FxHashMap<i32, u64>>,
    /// Rules 10–13 per deal.
    pub timing: DealTiming,
}

impl DealFacts {
    /// The facts of `nd` deals before the linear pass writes them: no touch, no
    /// response, in the period unless there is one, and the deals' own cadence and
    /// owner (`keys`).
    fn before_pass(nd: usize, opts: &MetricsOptions, keys: (Vec<u32>, Vec<u32>)) -> Self {
        DealFacts {
            n: vec![0; nd],
            responded: vec![None; nd],
            last_out_day: vec![MaybeDay::NONE; nd],
            first_out_day: vec![MaybeDay::NONE; nd],
            opted_out: vec![false; nd],
            opt_outs: Vec::new(),
            touched_in_period: vec![opts.period.is_none(); nd],
            cadence: keys.0,
            owner: keys.1,
            gaps: Vec::new(),
            timing: DealTiming {
                first_response_day: vec![MaybeDay::NONE; nd],
                inbound_first: vec![false; nd],
                answer_secs: Sparse::default(),
                delay_secs: Sparse::default(),
                delay_channel: Vec::new(),
                ended_at: vec![0; nd],
                ended: vec![0; nd],
                waiting: Vec::new(),
            },
        }
    }
}

/// Rows of rule 4: deal d was at risk at touch k.
#[derive(Debug, Default, PartialEq)]
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
    /// Rule 12: the bucket of the calendar days from touch k−1 to touch k (`None` for
    /// touch 1).
    pub gap_bucket: Vec<Option<GapBucket>>,
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
    // Each deal's touches by time, then its duplicates dropped, the deals in two halves
    // on two cores (a run of duplicates never spans two deals).
    let half = nd / 2;
    let split = start[half] as usize;
    let (low, high) = rows.split_at_mut(split);
    let detail = &ing.touch_detail;
    let ((kept_low, mut dropped), (kept_high, dropped_high)) = std::thread::scope(|s| {
        let at = &t.at;
        let high = s.spawn(|| {
            sort_groups(high, &start[half..], at);
            dedupe(high, t, detail)
        });
        sort_groups(low, &start[..=half], at);
        (dedupe(low, t, detail), crate::threads::joined(high))
    });
    drop((start, next));
    rows.copy_within(split..split + kept_high, kept_low);
    rows.truncate(kept_low + kept_high);
    rows.shrink_to_fit();
    let kept = rows;
    dropped.extend(dropped_high);
    // The ledger counts rows: a row is a duplicate when all its touches were dropped.
    dropped.sort_unstable();
    ing.book_duplicate_rows(&dropped)?;
    // The hashes only serve to find duplicates: free them before the linear pass.
    ing.touch_detail = Vec::new();
    Ok(kept)
}

/// Sorts each group of `rows` by time: group g is `rows[starts[g] - starts[0]..starts[g
/// + 1] - starts[0]]`; stable, so touches at the same time keep their input order.
/// Drops the duplicate touches of `rows` (sorted by deal and time), keeping the first of
/// each: returns how many are kept (now at the front of `rows`) and the dropped ones.
///
/// Duplicates share (deal, at), so they sit in the same run of the sorted order; each
/// row is compared with the rows kept so far in its run (runs are short). The kept rows
/// are written over the sorted ones, in place (`kept` ≤ the row read): at 2.7M touches
/// no second 11 MB list beside the touches.
fn dedupe(rows: &mut [u32], t: &crate::model::Touches, detail: &[u64]) -> (usize, Vec<u32>) {
    let mut dropped = Vec::new();
    let mut run_start = 0;
    let mut kept: usize = 0;
    for j in 0..rows.len() {
        let r = rows[j];
        let i = r as usize;
        let same_run = |p: usize| t.deal[p] == t.deal[i] && t.at[p] == t.at[i];
        if !kept.checked_sub(1).is_some_and(|last| same_run(rows[last] as usize)) {
            run_start = kept;
        }
        let dup = rows[run_start..kept].iter().any(|&p| {
            let p = p as usize;
            t.channel[p] == t.channel[i] && t.direction[p] == t.direction[i] && detail[p] == detail[i]
        });
        if dup {
            dropped.push(r);
        } else {
            rows[kept] = r;
            kept += 1;
        }
    }
    (kept, dropped)
}

fn sort_groups(rows: &mut [u32], starts: &[u32], at: &[i64]) {
    let base = starts.first().copied().unwrap_or(0);
    for w in starts.windows(2) {
        let group = &mut rows[(w[0] - base) as usize..(w[1] - base) as usize];
        if group.len() > 1 {
            group.sort_by_key(|&i| at[i as usize]);
        }
    }
}

/// Where each deal's kept touches start in `order` (sorted by deal): deal d's are
/// `order[starts[d]..starts[d + 1]]`, `deals + 1` entries. Lets the linear pass run
/// without the touches' deal column (at a million deals 4 MB instead of 11 MB beside
/// it).
pub fn deal_starts(ing: &Ingested, order: &[u32]) -> Vec<u32> {
    let t = &ing.tables.touches;
    let nd = ing.tables.deals.len();
    let mut starts = vec![0u32; nd + 1];
    for &r in order {
        if let Some(c) = t.deal.get(r as usize).and_then(|&d| starts.get_mut(d as usize + 1)) {
            *c += 1;
        }
    }
    for d in 0..nd {
        starts[d + 1] += starts[d];
    }
    starts
}

/// Keeps the kept touches (`order`, from [`sort_and_dedupe`]) in that order, column by
/// column, so that the linear pass reads them one after the other and `order` is freed
/// before it (11 MB at 2.7M touches). The deal column and the input order are freed
/// (the pass reads [`deal_starts`]). Every column of `t` is then indexed by position in
/// the sorted order.
pub fn put_in_order(t: &mut crate::model::Touches, order: Vec<u32>) {
    t.deal = Vec::new();
    t.seq = Default::default();
    // The times (8 bytes a touch, half the work) on a second core.
    let order = &order;
    let at = std::mem::take(&mut t.at);
    std::thread::scope(|s| {
        let at = s.spawn(move || order.iter().map(|&r| at[r as usize]).collect());
        t.channel = order.iter().map(|&r| t.channel[r as usize]).collect();
        t.direction = order.iter().map(|&r| t.direction[r as usize]).collect();
        t.event = order.iter().map(|&r| t.event[r as usize]).collect();
        for col in [&mut t.cadence, &mut t.owner] {
            let mut sorted = crate::model::ZeroCol::default();
            sorted.reserve(order.len());
            for &r in order {
                sorted.push(col.get(r as usize));
            }
            *col = sorted;
        }
        t.at = crate::threads::joined(at);
    });
}

/// The linear pass, over the deals in two parts on two cores: each part writes its
/// deals' facts in place and its at-risk rows into its own stretch of the rows (a deal
/// has at most one at-risk row per kept touch, so the deals from `mid` on write from
/// `starts[mid]`), and the second part's rows are moved down after the first's.
///
/// The touches are the kept ones in order ([`put_in_order`]); `starts` are
/// [`deal_starts`]' (deal d's touches are rows `starts[d]..starts[d + 1]`); `keys`
/// are the deals' own cadence and owner (interned, taken out of the deals table),
/// completed here from each deal's touch 1.
pub fn derive(
    ing: &Ingested,
    starts: &[u32],
    opts: &MetricsOptions,
    keys: (Vec<u32>, Vec<u32>),
) -> (DealFacts, AtRisk) {
    let nd = ing.tables.deals.len();
    let rows = ing.tables.touches.at.len();
    let f = DealFacts::before_pass(nd, opts, keys);
    // The two parts hold about as many touches each.
    let mid = starts.partition_point(|&s| (s as usize) < rows / 2);
    derive_split(ing, starts, opts, f, mid)
}

/// [`derive`]'s work from its empty facts `f`, the second part from deal `mid` on (any
/// `mid` gives the same facts: a test holds it).
fn derive_split(
    ing: &Ingested,
    starts: &[u32],
    opts: &MetricsOptions,
    mut f: DealFacts,
    mid: usize,
) -> (DealFacts, AtRisk) {
    let (nd, rows) = (f.n.len(), ing.tables.touches.at.len());
    let mid = mid.min(nd);
    // Room for one at-risk row per kept touch (the number columns are zeroed by the
    // system, so the pages of their rows never written are never touched; the channel
    // and gap columns are filled); what is not written is given back.
    let mut risk = AtRisk::room(rows);
    let split = starts.get(mid).map_or(rows, |&s| s as usize).min(rows);
    let (written, pushed) = {
        let (low, high) = Part::split(&mut f, &mut risk, mid, split);
        std::thread::scope(|s| {
            let high = s.spawn(|| pass(ing, starts, opts, mid..nd, high));
            let low = pass(ing, starts, opts, 0..mid, low);
            (low, crate::threads::joined(high))
        })
    };
    let ((low_rows, mut low), (high_rows, high)) = (written, pushed);
    risk.close_gap(low_rows, split, high_rows);
    low.append(high);
    f.opt_outs = low.opt_outs;
    f.gaps = low.gaps;
    f.timing.answer_secs = low.answer_secs;
    f.timing.delay_secs = low.delay_secs;
    f.timing.delay_channel = low.delay_channel;
    f.timing.waiting = low.waiting;
    (f, risk)
}

/// What a part of the linear pass pushes, in deal order.
#[derive(Default)]
struct Pushed {
    opt_outs: Vec<OptOut>,
    gaps: Vec<rustc_hash::FxHashMap<i32, u64>>,
    answer_secs: Sparse<i64>,
    delay_secs: Sparse<i64>,
    delay_channel: Vec<u8>,
    waiting: Vec<(u32, i64)>,
}

impl Pushed {
    /// Appends what the next part pushed (its deals all come after this part's).
    fn append(&mut self, next: Pushed) {
        self.opt_outs.extend(next.opt_outs);
        for (j, counts) in next.gaps.into_iter().enumerate() {
            if self.gaps.len() <= j {
                self.gaps.resize_with(j + 1, Default::default);
            }
            for (days, c) in counts {
                let count = self.gaps[j].entry(days).or_default();
                *count = count.saturating_add(c);
            }
        }
        self.answer_secs.deals.extend(next.answer_secs.deals);
        self.answer_secs.values.extend(next.answer_secs.values);
        self.delay_secs.deals.extend(next.delay_secs.deals);
        self.delay_secs.values.extend(next.delay_secs.values);
        self.delay_channel.extend(next.delay_channel);
        self.waiting.extend(next.waiting);
    }
}

/// One part of the linear pass: the per-deal facts of deals `base..` as slices of the
/// whole columns (deal d at `d - base`), and the at-risk rows it writes.
struct Part<'a> {
    base: usize,
    n: &'a mut [u32],
    responded: &'a mut [Option<Responded>],
    last_out_day: &'a mut [MaybeDay],
    first_out_day: &'a mut [MaybeDay],
    opted_out: &'a mut [bool],
    touched_in_period: &'a mut [bool],
    cadence: &'a mut [u32],
    owner: &'a mut [u32],
    first_response_day: &'a mut [MaybeDay],
    inbound_first: &'a mut [bool],
    ended_at: &'a mut [u32],
    ended: &'a mut [u8],
    risk: RiskRows<'a>,
    pushed: Pushed,
}

impl<'a> Part<'a> {
    /// The deals before `mid`, writing their at-risk rows from row 0, and the deals from
    /// `mid`, writing theirs from row `split`.
    fn split(f: &'a mut DealFacts, risk: &'a mut AtRisk, mid: usize, split: usize) -> (Part<'a>, Part<'a>) {
        let t = &mut f.timing;
        let (n0, n1) = f.n.split_at_mut(mid);
        let (r0, r1) = f.responded.split_at_mut(mid);
        let (l0, l1) = f.last_out_day.split_at_mut(mid);
        let (fo0, fo1) = f.first_out_day.split_at_mut(mid);
        let (o0, o1) = f.opted_out.split_at_mut(mid);
        let (p0, p1) = f.touched_in_period.split_at_mut(mid);
        let (c0, c1) = f.cadence.split_at_mut(mid);
        let (w0, w1) = f.owner.split_at_mut(mid);
        let (fr0, fr1) = t.first_response_day.split_at_mut(mid);
        let (i0, i1) = t.inbound_first.split_at_mut(mid);
        let (e0, e1) = t.ended_at.split_at_mut(mid);
        let (x0, x1) = t.ended.split_at_mut(mid);
        let (k0, k1) = risk.split_at_mut(split);
        let low = Part {
            base: 0,
            n: n0,
            responded: r0,
            last_out_day: l0,
            first_out_day: fo0,
            opted_out: o0,
            touched_in_period: p0,
            cadence: c0,
            owner: w0,
            first_response_day: fr0,
            inbound_first: i0,
            ended_at: e0,
            ended: x0,
            risk: k0,
            pushed: Pushed::default(),
        };
        let high = Part {
            base: mid,
            n: n1,
            responded: r1,
            last_out_day: l1,
            first_out_day: fo1,
            opted_out: o1,
            touched_in_period: p1,
            cadence: c1,
            owner: w1,
            first_response_day: fr1,
            inbound_first: i1,
            ended_at: e1,
            ended: x1,
            risk: k1,
            pushed: Pushed::default(),
        };
        (low, high)
    }
}

/// The at-risk rows a part writes: the columns from its first row on, and how many.
struct RiskRows<'a> {
    deal: &'a mut [u32],
    k: &'a mut [u32],
    day: &'a mut [i32],
    channel: &'a mut [Channel],
    responded: &'a mut [bool],
    gap_bucket: &'a mut [Option<GapBucket>],
    len: usize,
}

impl RiskRows<'_> {
    /// Writes the next row. There is room for one row per kept touch of the part's
    /// deals, and a deal is at risk at most once per touch.
    fn push(&mut self, deal: u32, k: u32, day: i32, channel: Channel, responded: bool, gap: Option<GapBucket>) {
        let i = self.len;
        self.deal[i] = deal;
        self.k[i] = k;
        self.day[i] = day;
        self.channel[i] = channel;
        self.responded[i] = responded;
        self.gap_bucket[i] = gap;
        self.len += 1;
    }
}

/// The linear pass over `deals` (rules 1–4, and 10–13's per-deal timing), written into
/// `part`; returns how many at-risk rows it wrote, and what it pushed.
///
/// Longer than our ~80-line rule on purpose: it is the one hot loop over every touch
/// (millions of rows), and keeping rules 1–4 for a deal in one body lets them share the
/// per-deal scratch (`out_at`, `out_ch`) and read the rows once, in the order SPEC §3
/// gives the rules.
fn pass(
    ing: &Ingested,
    starts: &[u32],
    opts: &MetricsOptions,
    deals_of_part: std::ops::Range<usize>,
    mut part: Part<'_>,
) -> (usize, Pushed) {
    let deals = &ing.tables.deals;
    let t = &ing.tables.touches;
    // Per-deal scratch: times and channels of the counted outbound touches.
    let mut out_at: Vec<i64> = Vec::new();
    let mut out_ch: Vec<Channel> = Vec::new();
    for d in deals_of_part {
        let l = d - part.base;
        let (Some(&from), Some(&to)) = (starts.get(d), starts.get(d + 1)) else { break };
        let rows = from as usize..to as usize;
        if rows.is_empty() || rows.end > t.at.len() {
            // Rule 5: deal-level exports without touch rows use the CRM's count.
            if let Some(c) = deals.touch_count.get(d) {
                part.n[l] = c;
            }
            continue;
        }
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
        for i in rows {
            if cut.is_some_and(|c| day_of(t.at[i]) > c) {
                continue;
            }
            if t.direction[i] == Direction::Outbound {
                if out_at.is_empty() {
                    if part.cadence[l] == 0 {
                        part.cadence[l] = t.cadence.get(i);
                    }
                    if part.owner[l] == 0 {
                        part.owner[l] = t.owner.get(i);
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
        part.n[l] = n;
        part.last_out_day[l] = out_at.last().map_or(MaybeDay::NONE, |&a| MaybeDay::of(a));
        part.first_out_day[l] = out_at.first().map_or(MaybeDay::NONE, |&a| MaybeDay::of(a));
        let gaps = &mut part.pushed.gaps;
        for (j, w) in out_at.windows(2).enumerate() {
            if gaps.len() <= j {
                gaps.resize_with(j + 1, Default::default);
            }
            let count = gaps[j].entry(day_of(w[1]) - day_of(w[0])).or_default();
            *count = count.saturating_add(1);
        }
        if let (Some(p), false) = (&opts.period, part.touched_in_period[l]) {
            part.touched_in_period[l] = out_at.iter().any(|&a| p.contains(day_of(a)));
        }
        if let Some(o) = opt_out {
            part.opted_out[l] = true;
            let touches_after = out_at.iter().filter(|&&a| a > o).count() as u32;
            part.pushed.opt_outs.push(OptOut { deal: d as u32, at: o, touches_after });
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
        part.responded[l] = state;
        timing(&mut part, d, &out_at, &out_ch, first_response, state, opt_out, deals.status[d]);
        if deals.status[d] == Status::Open {
            let waiting =
                last_inbound.filter(|&r| out_at.last().is_none_or(|&a| a <= r) && last_opt_out.is_none_or(|o| o < r));
            if let Some(since) = waiting {
                part.pushed.waiting.push((d as u32, since));
            }
        }
        // Rule 4: the touches at which the deal was at risk.
        let (last_at_risk, hit) = match state {
            None => (n, None),
            Some(Responded::At(k)) => (k, Some(k)),
            Some(Responded::Unattributed(k)) => (k, None),
            Some(Responded::InboundInitiated) => (0, None),
        };
        for k in 1..=last_at_risk {
            let i = k as usize;
            let gap =
                (i >= 2).then(|| GapBucket::of(i64::from(day_of(out_at[i - 1])) - i64::from(day_of(out_at[i - 2]))));
            part.risk.push(d as u32, k, day_of(out_at[i - 1]), out_ch[i - 1], hit == Some(k), gap);
        }
    }
    (part.risk.len, part.pushed)
}

impl AtRisk {
    /// Room for `rows` rows, written in place by the parts of the linear pass.
    fn room(rows: usize) -> Self {
        AtRisk {
            deal: vec![0; rows],
            k: vec![0; rows],
            day: vec![0; rows],
            channel: vec![Channel::Email; rows],
            responded: vec![false; rows],
            gap_bucket: vec![None; rows],
        }
    }

    /// The rows from `at` on, to be written by a part that starts there, and those before.
    fn split_at_mut(&mut self, at: usize) -> (RiskRows<'_>, RiskRows<'_>) {
        let (d0, d1) = self.deal.split_at_mut(at);
        let (k0, k1) = self.k.split_at_mut(at);
        let (y0, y1) = self.day.split_at_mut(at);
        let (c0, c1) = self.channel.split_at_mut(at);
        let (r0, r1) = self.responded.split_at_mut(at);
        let (g0, g1) = self.gap_bucket.split_at_mut(at);
        (
            RiskRows { deal: d0, k: k0, day: y0, channel: c0, responded: r0, gap_bucket: g0, len: 0 },
            RiskRows { deal: d1, k: k1, day: y1, channel: c1, responded: r1, gap_bucket: g1, len: 0 },
        )
    }

    /// Keeps the `low` rows written from row 0 and the `high` rows written from row
    /// `split`, one after the other, and frees the rest.
    fn close_gap(&mut self, low: usize, split: usize, high: usize) {
        fn close<T: Copy>(v: &mut Vec<T>, low: usize, split: usize, high: usize) {
            v.copy_within(split..split + high, low);
            v.truncate(low + high);
            v.shrink_to_fit();
        }
        close(&mut self.deal, low, split, high);
        close(&mut self.k, low, split, high);
        close(&mut self.day, low, split, high);
        close(&mut self.channel, low, split, high);
        close(&mut self.responded, low, split, high);
        close(&mut self.gap_bucket, low, split, high);
    }
}

/// Rules 10, 11 and 13 for deal `d` of `part`, from its counted outbound touches (times
/// and channels), its first response (time, direction), its attribution and first
/// opt-out.
#[allow(clippy::too_many_arguments)]
fn timing(
    part: &mut Part<'_>,
    d: usize,
    out_at: &[i64],
    out_ch: &[Channel],
    first_response: Option<(i64, Direction)>,
    state: Option<Responded>,
    opt_out: Option<i64>,
    status: Status,
) {
    let l = d - part.base;
    let t = &mut part.pushed;
    if let Some((resp, dir)) = first_response {
        part.first_response_day[l] = MaybeDay::of(resp);
        part.inbound_first[l] = dir == Direction::Inbound;
        // Strictly after: a touch at the same time as the reply is the one it answers.
        if dir == Direction::Inbound {
            if let Some(&a) = out_at.get(out_at.partition_point(|&a| a <= resp)) {
                t.answer_secs.push(d, a - resp);
            }
        }
    }
    if let (Some(Responded::At(k)), Some((resp, _))) = (state, first_response) {
        let i = k as usize - 1;
        if let (Some(&a), Some(&c)) = (out_at.get(i), out_ch.get(i)) {
            t.delay_secs.push(d, resp - a);
            t.delay_channel.push(c as u8);
        }
    }
    let n = out_at.len() as u32;
    if n == 0 || state == Some(Responded::InboundInitiated) {
        return;
    }
    // Rule 13: the first of response and opt-out ends the chase (decision: a response
    // at the opt-out's very time counts as a response).
    let opted_first = opt_out.filter(|&o| first_response.is_none_or(|(r, _)| o < r));
    let (e, ended) = match (opted_first, state) {
        // Decision: an opt-out before touch 1 of a deal that was touched anyway ends at 1.
        (Some(o), _) => (out_at.partition_point(|&a| a <= o).max(1) as u32, Ended::OptedOut),
        (None, Some(Responded::At(k))) => (k, Ended::Responded),
        (None, Some(Responded::Unattributed(k))) => (k, Ended::Censored),
        (None, _) if status == Status::Lost => (n, Ended::Lost),
        (None, _) => (n, Ended::Censored),
    };
    part.ended_at[l] = e;
    part.ended[l] = ended.code() as u8;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample log, sorted and put in order as the metrics do, with its deal starts.
    fn sample() -> (Ingested, Vec<u32>) {
        let mut ing = crate::ingest::ingest(&crate::ingest::IngestOptions::sample_log()).expect("ingest");
        let order = sort_and_dedupe(&mut ing).expect("sorted");
        let starts = deal_starts(&ing, &order);
        put_in_order(&mut ing.tables.touches, order);
        (ing, starts)
    }

    /// Copies of touches of deals in both halves, at the split between them and at the
    /// ends, added as later rows: the two halves drop exactly the copies, as one pass
    /// over all deals would (the first of each deal, time, channel, direction and detail
    /// kept, in order of deal, time and input), and book each copy's row a duplicate.
    #[test]
    fn both_halves_drop_the_duplicates_one_pass_would() {
        let mut ing = crate::ingest::ingest(&crate::ingest::IngestOptions::sample_log()).expect("ingest");
        let (n, nd) = (ing.tables.touches.len(), ing.tables.deals.len());
        let deals = [0, 1, nd / 3, nd / 2 - 1, nd / 2, nd / 2 + 1, nd - 1];
        let picks: Vec<usize> = (0..n).filter(|&i| deals.contains(&(ing.tables.touches.deal[i] as usize))).collect();
        let t = &mut ing.tables.touches;
        let mut seq = (0..n).map(|i| t.seq.get(i)).max().unwrap_or(0);
        for &i in &picks {
            seq += 1;
            let (deal, at, channel, direction, event) = (t.deal[i], t.at[i], t.channel[i], t.direction[i], t.event[i]);
            t.deal.push(deal);
            t.at.push(at);
            t.seq.push(seq);
            t.channel.push(channel);
            t.direction.push(direction);
            t.event.push(event);
            t.cadence.push(t.cadence.get(i));
            t.owner.push(t.owner.get(i));
            ing.touch_detail.push(ing.touch_detail[i]);
        }
        if let Some(f) = ing.ledger.files.get_mut(0) {
            (f.rows, f.used) = (f.rows + picks.len(), f.used + picks.len());
        }
        let t = &ing.tables.touches;
        let mut by_time: Vec<usize> = (0..t.len()).collect();
        by_time.sort_by_key(|&i| (t.deal[i], t.at[i], i));
        let mut seen = std::collections::HashSet::new();
        let expected: Vec<u32> = by_time
            .into_iter()
            .filter(|&i| seen.insert((t.deal[i], t.at[i], t.channel[i], t.direction[i], ing.touch_detail[i])))
            .map(|i| i as u32)
            .collect();
        let duplicates_before = ing.ledger.files[0].duplicates;
        let kept = sort_and_dedupe(&mut ing).expect("sorted");
        assert!(picks.len() >= 15, "{} copies", picks.len());
        assert_eq!(kept, expected);
        assert_eq!(kept.len(), n, "every copy dropped, no original");
        assert_eq!(ing.ledger.files[0].duplicates - duplicates_before, picks.len(), "each copy's row a duplicate");
    }

    #[test]
    fn the_two_parts_of_the_linear_pass_give_the_facts_of_one() {
        // A reply window and a period, so that every fact is exercised.
        let day = crate::time::days_from_civil;
        let period =
            crate::model::Period { from: day(2026, 6, 1), to: day(2026, 7, 31), label: "2026-06_2026-07".into() };
        let opts = MetricsOptions { reply_window: Some(3), period: Some(period), ..Default::default() };
        let (ing, starts) = sample();
        let nd = ing.tables.deals.len();
        let keys = || (ing.tables.deals.cadence.clone(), ing.tables.deals.owner.clone());
        let empty = |keys| DealFacts::before_pass(nd, &opts, keys);
        let whole = derive_split(&ing, &starts, &opts, empty(keys()), nd);
        assert!(whole.1.k.len() > 1000 && whole.0.opt_outs.len() > 10, "the sample exercises the pass");
        for mid in [0, 1, nd / 3, nd / 2, nd - 1] {
            let split = derive_split(&ing, &starts, &opts, empty(keys()), mid);
            assert!(split.0 == whole.0, "facts differ when the second part starts at deal {mid}");
            assert!(split.1 == whole.1, "at-risk rows differ when the second part starts at deal {mid}");
        }
    }
}
