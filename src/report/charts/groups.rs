//! Chart 6, `groups_<dimension>` (SPEC §3 "Groups", `--by`): the groups of one
//! dimension side by side, drawn from `Metrics::groups[dim]` and
//! `Metrics::comparisons[dim]`:
//!
//! - left, *small multiples*: one panel per group, the response rate at each touch
//!   (`response_by_touch[].rate`, the discrete-time hazard the comparisons test) as bars
//!   with their Wilson 95% whiskers, on one shared y axis, with a dark tick at the rate
//!   of all deals at that touch. A bar whose comparison is a real difference is dark
//!   blue; touches sent to fewer than `SMALL_N` deals are hollow grey;
//! - right, *conversion after follow-up* (won ÷ (won + lost) of the deals with 2+
//!   touches): one row per group, a dot with its Wilson 95% interval, beside a dashed
//!   line at the rate of all deals. The interval is `stats::wilson` of the group's
//!   won and lost counts, the function the metrics use for every rate. The channel
//!   dimension has no deal metrics (a deal has many channels), so it has no such panel.
//!
//! **What is drawn.** A group with no touch sent and no closed followed-up deal is
//! *empty*: it gets no panel, and the subtitle names it. At most [`MAX_GROUPS`] groups
//! are drawn, those with the most deals (deals sent touch 1, for channel), in the order
//! of metrics.json; the subtitle counts the rest. Touches run from 1 to the last touch
//! any drawn group sent, at most [`MAX_TOUCHES`].
//!
//! **The title rule.** A difference is *real* when its Holm-adjusted p-value is below
//! 0.05 and its 95% Newcombe interval excludes 0 — the rule of the verdicts in
//! metrics.json, read from the same fields. The title names, first, the real
//! difference in conversion (a higher group before a lower one, then the smallest
//! adjusted p), else the real difference in response at a touch, e.g. "Maria Lopez
//! converts 21.1% vs 9.8% for Tom Becker — a real difference"; with none, "No cadence
//! is clearly better yet". The subtitle says how many comparisons were made and how,
//! then the other metric's finding. With fewer than two groups, the chart is a
//! "Nothing to compare" panel.

//!
//! This file is *what* the chart says: the groups drawn and the findings, as titles,
//! subtitles and mentions (pure functions of `Metrics`, tested without plotters);
//! `groups/draw.rs` is *how* it is drawn.

mod draw;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use crate::fmt::{count, percent};
use crate::metrics::groups::{Comparisons, Dimension, GroupComparison, GroupMetrics};
use crate::metrics::Metrics;
pub(super) use draw::{draw, draw_panel, panels};

/// At most this many groups are drawn (more panels would be too small to read): those
/// with the most deals.
pub const MAX_GROUPS: usize = 8;

/// At most this many touches are drawn in each panel.
pub const MAX_TOUCHES: u32 = 10;

const CONVERSION: &str = "conversion_after_follow_up";

/// The groups and comparisons of one dimension, sorted for drawing.
struct View<'a> {
    dim: Dimension,
    /// Every group of the dimension, as in metrics.json.
    all: &'a [GroupMetrics],
    /// The groups drawn, in metrics.json order.
    drawn: Vec<&'a GroupMetrics>,
    /// Non-empty groups left out for lack of room.
    others: Vec<&'a GroupMetrics>,
    /// Empty groups (no touch sent, no closed followed-up deal).
    empty: Vec<&'a GroupMetrics>,
    comparisons: Option<&'a Comparisons>,
    /// The real differences, by adjusted p-value.
    real: Vec<&'a GroupComparison>,
}

/// The deals behind a group: its deals, or for channel the deals sent touch 1.
fn size(g: &GroupMetrics) -> u64 {
    match &g.deals {
        Some(d) => d.total as u64,
        None => touch_1_sent(g),
    }
}

fn touch_1_sent(g: &GroupMetrics) -> u64 {
    g.response_by_touch.first().map_or(0, |r| r.sent)
}

/// Won and lost followed-up deals of a group, when the dimension has deal metrics.
fn closed(g: &GroupMetrics) -> Option<(u64, u64)> {
    g.conversion_after_follow_up.as_ref().map(|c| (c.won as u64, (c.won + c.lost) as u64))
}

fn is_empty(g: &GroupMetrics) -> bool {
    g.response_by_touch.iter().all(|r| r.sent == 0) && closed(g).is_none_or(|(_, n)| n == 0)
}

/// Whether a comparison is a real difference: the rule of `compare::Comparison::is_meaningful`
/// on the Holm-adjusted p-value, as the verdicts apply it.
fn is_real(c: &GroupComparison) -> bool {
    c.is_meaningful()
}

fn rates(c: &GroupComparison) -> (f64, f64) {
    let rate = |k: u64, n: u64| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    (rate(c.k1, c.n1), rate(c.k2, c.n2))
}

impl<'a> View<'a> {
    fn of(dim: Dimension, m: &'a Metrics) -> Self {
        let all: &[GroupMetrics] = m.groups.get(dim.as_str()).map_or(&[], Vec::as_slice);
        let (empty, full): (Vec<&GroupMetrics>, Vec<&GroupMetrics>) = all.iter().partition(|g| is_empty(g));
        let mut ranked: Vec<(usize, &GroupMetrics)> = full.iter().copied().enumerate().collect();
        ranked.sort_by(|a, b| size(b.1).cmp(&size(a.1)).then(a.0.cmp(&b.0)));
        let keep: BTreeSet<usize> = ranked.iter().take(MAX_GROUPS).map(|(i, _)| *i).collect();
        let (mut drawn, mut others) = (vec![], vec![]);
        for (i, g) in full.into_iter().enumerate() {
            if keep.contains(&i) {
                drawn.push(g);
            } else {
                others.push(g);
            }
        }
        let comparisons = m.comparisons.get(dim.as_str());
        let mut real: Vec<&GroupComparison> =
            comparisons.map_or(vec![], |c| c.list.iter().filter(|c| is_real(c)).collect());
        real.sort_by(|a, b| a.p_holm.total_cmp(&b.p_holm));
        View { dim, all, drawn, others, empty, comparisons, real }
    }

    fn name(&self) -> &'static str {
        self.dim.as_str()
    }

    fn plural(&self) -> String {
        format!("{}s", self.name())
    }

    fn pair(&self) -> bool {
        self.comparisons.is_some_and(|c| c.mode == "pair")
    }

    /// Whether the dimension has deal metrics (all but channel).
    fn has_conversion(&self) -> bool {
        self.all.iter().any(|g| g.conversion_after_follow_up.is_some())
    }

    /// The best real difference on conversion: a higher group first, then by p.
    fn conversion_finding(&self) -> Option<&'a GroupComparison> {
        let conv = || self.real.iter().copied().filter(|c| c.metric == CONVERSION);
        conv().find(|c| self.pair() || c.diff > 0.0).or_else(|| conv().next())
    }

    /// The real differences in response at a touch: higher groups first, then by p.
    fn response_findings(&self) -> Vec<&'a GroupComparison> {
        let mut found: Vec<&GroupComparison> = self.real.iter().copied().filter(|c| c.metric != CONVERSION).collect();
        found.sort_by_key(|c| !(self.pair() || c.diff > 0.0)); // stable: p order kept within
        found
    }

    /// The keys a real difference on `metric` (at `touch`) marks: the group, and in pair
    /// mode the other group too.
    fn marked(&self, metric_is_conversion: bool, touch: Option<u32>, key: &str) -> bool {
        self.real.iter().any(|c| {
            (c.metric == CONVERSION) == metric_is_conversion
                && (metric_is_conversion || c.touch == touch)
                && (c.group == key || (self.pair() && c.versus == key))
        })
    }

    /// The last touch drawn: the highest touch any drawn group sent, at most
    /// [`MAX_TOUCHES`].
    fn last_touch(&self) -> u32 {
        let sent = self
            .drawn
            .iter()
            .flat_map(|g| &g.response_by_touch)
            .filter(|r| r.sent > 0)
            .map(|r| r.touch)
            .max()
            .unwrap_or(0);
        sent.min(MAX_TOUCHES)
    }

    fn touches_cut(&self) -> Option<u32> {
        let sent = self
            .drawn
            .iter()
            .flat_map(|g| &g.response_by_touch)
            .filter(|r| r.sent > 0)
            .map(|r| r.touch)
            .max()
            .unwrap_or(0);
        (sent > MAX_TOUCHES).then_some(sent)
    }
}

/// The higher side of a comparison first: (higher, rate, lower, rate). In pair mode
/// the two groups swap when the first is lower; against the rest, the group stays
/// first (it is the one the comparison is about).
fn sides(c: &GroupComparison, pair: bool) -> (&str, f64, &str, f64) {
    let (p1, p2) = rates(c);
    if pair && c.diff < 0.0 {
        (c.versus.as_str(), p2, c.group.as_str(), p1)
    } else {
        (c.group.as_str(), p1, c.versus.as_str(), p2)
    }
}

/// The finding of a real difference, e.g. "6-touch 30-day gets more responses at
/// touch 2: 16.2% vs 9.0% for the rest — a real difference".
fn finding(c: &GroupComparison, pair: bool) -> String {
    let (a, pa, b, pb) = sides(c, pair);
    let (pa, pb) = (percent(Some(pa)), percent(Some(pb)));
    let higher = pair || c.diff > 0.0;
    match c.touch {
        None if higher => format!("{a} converts {pa} vs {pb} for {b} — a real difference"),
        None => format!("{a} converts only {pa} vs {pb} for {b} — a real difference"),
        Some(k) => {
            let more = if higher { "more" } else { "fewer" };
            format!("{a} gets {more} responses at touch {k}: {pa} vs {pb} for {b} — a real difference")
        }
    }
}

/// A short mention of a real difference for the subtitle: "6-touch 30-day higher at
/// touch 2 (16.2% vs 9.0%)".
fn mention(c: &GroupComparison, pair: bool) -> String {
    let (a, pa, _, pb) = sides(c, pair);
    let dir = if pair || c.diff > 0.0 { "higher" } else { "lower" };
    let at = c.touch.map_or(String::new(), |k| format!(" at touch {k}"));
    format!("{a} {dir}{at} ({} vs {})", percent(Some(pa)), percent(Some(pb)))
}

/// "Nothing to compare" reasons, when the dimension has fewer than two groups.
fn nothing_to_compare(v: &View<'_>) -> Option<String> {
    let dim = v.name();
    match v.all {
        [] => Some(format!("no deal in this report has a {dim} to group by")),
        [g] if g.key == "(none)" => Some(format!("no deal has a {dim}")),
        [g] => Some(format!("every deal is in one {dim}, {}", g.key)),
        _ => None,
    }
}

pub(super) fn title(dim: Dimension, m: &Metrics) -> String {
    let v = View::of(dim, m);
    if let Some(why) = nothing_to_compare(&v) {
        return format!("Nothing to compare by {}: {why}", v.name());
    }
    if let Some(c) = v.conversion_finding() {
        return finding(c, v.pair());
    }
    if let Some(c) = v.response_findings().first() {
        return finding(c, v.pair());
    }
    if v.comparisons.is_none_or(|c| c.list.is_empty()) {
        return format!("Too few deals to compare {} yet", v.plural());
    }
    format!("No {} is clearly better yet", v.name())
}

/// "13.0% to 19.4%": the range of the drawn groups' conversion rates.
fn conversion_range(v: &View<'_>) -> Option<String> {
    let r: Vec<f64> =
        v.drawn.iter().filter_map(|g| g.conversion_after_follow_up.as_ref().and_then(|c| c.rate)).collect();
    let lo = r.iter().copied().reduce(f64::min)?;
    let hi = r.iter().copied().reduce(f64::max)?;
    Some(if (hi - lo).abs() < 5e-4 {
        percent(Some(lo))
    } else {
        format!("{} to {}", percent(Some(lo)), percent(Some(hi)))
    })
}

/// "Response at each touch: …" — the real differences in response, or that there are
/// none; `skip` is the one already in the title.
fn response_line(v: &View<'_>, skip: Option<&GroupComparison>, lead: &str) -> String {
    let found: Vec<&GroupComparison> =
        v.response_findings().into_iter().filter(|c| skip.is_none_or(|s| !std::ptr::eq(*c, s))).collect();
    match found.as_slice() {
        [] => format!("{lead}no difference beyond chance at any touch"),
        [a] => format!("{lead}{}", mention(a, v.pair())),
        [a, b] => format!("{lead}{}; {}", mention(a, v.pair()), mention(b, v.pair())),
        [a, rest @ ..] => format!("{lead}{}, and {} more differences at a touch", mention(a, v.pair()), rest.len()),
    }
}

pub(super) fn subtitle(dim: Dimension, m: &Metrics) -> String {
    let v = View::of(dim, m);
    if nothing_to_compare(&v).is_some() {
        return format!("--by {}: {} group; comparisons need two or more", v.name(), v.all.len());
    }
    let mut lines = vec![];
    let cmp = v.comparisons.map_or(0, |c| c.count);
    let unit = if v.has_conversion() { "deals" } else { "sent touch 1" };
    let how = match (v.pair(), v.all) {
        (true, [a, b]) => format!("{} ({} {unit}) vs {} ({} {unit})", a.key, count(size(a)), b.key, count(size(b))),
        _ => format!("{} {}, each against the rest", v.all.len(), v.plural()),
    };
    lines.push(format!(
        "{how}: {} comparisons, p-values Holm-adjusted; an association, not proof of cause",
        count(cmp as u64)
    ));

    let conv = v.conversion_finding();
    let resp = v.response_findings();
    let second = if conv.is_some() {
        response_line(&v, None, "Response at each touch: ")
    } else if let Some(first) = resp.first() {
        let also = response_line(&v, Some(first), "also ");
        let also = if resp.len() > 1 { format!("; {also}") } else { String::new() };
        match conversion_range(&v) {
            Some(r) => format!("Conversion after follow-up: no {} differs beyond chance ({r}){also}", v.name()),
            None => also.trim_start_matches("; ").to_owned(),
        }
    } else if cmp == 0 {
        "A comparison needs deals sent the same touch, or closed deals with 2+ touches, on both sides".to_owned()
    } else {
        match conversion_range(&v) {
            Some(r) => {
                format!("Conversion after follow-up {r}; response at each touch: no difference beyond chance either")
            }
            None => "Response at each touch: no difference beyond chance".to_owned(),
        }
    };
    if !second.is_empty() {
        lines.push(second);
    }

    let mut left = vec![];
    if !v.others.is_empty() {
        let deals: u64 = v.others.iter().map(|g| size(g)).sum();
        left.push(format!("{} more {} with fewer deals ({} in all)", v.others.len(), v.plural(), count(deals)));
    }
    if !v.empty.is_empty() {
        let names: Vec<&str> = v.empty.iter().take(3).map(|g| g.key.as_str()).collect();
        let more = if v.empty.len() > 3 { format!(" and {} more", v.empty.len() - 3) } else { String::new() };
        left.push(format!("{}{more} (no touch sent, no closed deal)", names.join(", ")));
    }
    if !left.is_empty() {
        lines.push(format!("Not drawn: {}; every group is in tables/groups_{}.csv", left.join("; "), v.name()));
    }
    lines.join("\n")
}
