//! Chart 6, `groups_<dimension>` (SPEC §3 "Groups", `--by`): the groups of one
//! dimension side by side, drawn from `Metrics::groups[dim]` and
//! `Metrics::comparisons[dim]`:
//!
//! - left, *small multiples*: one panel per group, the response rate at each touch
//!   (`response_by_touch[].rate`, the discrete-time hazard the comparisons test) as bars
//!   with their Wilson 95% whiskers, on one shared y axis, with a dark tick at the rate
//!   of all deals at that touch. A bar whose comparison is a real difference is dark
//!   blue; touches sent to fewer than [`SMALL_N`] deals are hollow grey;
//! - right, *conversion after follow-up* (won ÷ (won + lost) of the deals with 2+
//!   touches): one row per group, a dot with its Wilson 95% interval, beside a dashed
//!   line at the rate of all deals. The interval is [`stats::wilson`] of the group's
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

use std::collections::BTreeSet;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::response_by_touch::SMALL_N;
use super::theme::{self, anchored, Drawn, DrawnAs, Swatch, Theme, BLUE, GREY, GRID, INK, MUTED, SKY};
use crate::fmt::{count, percent};
use crate::metrics::groups::{Comparisons, Dimension, GroupComparison, GroupMetrics};
use crate::metrics::{stats, Metrics};

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
        let mut real: Vec<&GroupComparison> = comparisons.map_or(vec![], |c| c.list.iter().filter(|c| is_real(c)).collect());
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
        let sent = self.drawn.iter().flat_map(|g| &g.response_by_touch).filter(|r| r.sent > 0).map(|r| r.touch).max().unwrap_or(0);
        sent.min(MAX_TOUCHES)
    }

    fn touches_cut(&self) -> Option<u32> {
        let sent = self.drawn.iter().flat_map(|g| &g.response_by_touch).filter(|r| r.sent > 0).map(|r| r.touch).max().unwrap_or(0);
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
    let r: Vec<f64> = v.drawn.iter().filter_map(|g| g.conversion_after_follow_up.as_ref().and_then(|c| c.rate)).collect();
    let lo = r.iter().copied().reduce(f64::min)?;
    let hi = r.iter().copied().reduce(f64::max)?;
    Some(if (hi - lo).abs() < 5e-4 { percent(Some(lo)) } else { format!("{} to {}", percent(Some(lo)), percent(Some(hi))) })
}

/// "Response at each touch: …" — the real differences in response, or that there are
/// none; `skip` is the one already in the title.
fn response_line(v: &View<'_>, skip: Option<&GroupComparison>, lead: &str) -> String {
    let found: Vec<&GroupComparison> = v.response_findings().into_iter().filter(|c| skip.is_none_or(|s| !std::ptr::eq(*c, s))).collect();
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
    lines.push(format!("{how}: {} comparisons, p-values Holm-adjusted; an association, not proof of cause", count(cmp as u64)));

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
            Some(r) => format!("Conversion after follow-up {r}; response at each touch: no difference beyond chance either"),
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

// ---- Drawing ------------------------------------------------------------------------------

pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, dim: Dimension, m: &Metrics) -> Drawn<DB> {
    let v = View::of(dim, m);
    if let Some(why) = nothing_to_compare(&v) {
        let msg = format!("Comparing needs two groups or more: {why}.");
        return theme::empty_panel(area, t, "Nothing to compare", &msg);
    }
    if v.drawn.is_empty() {
        let msg = format!("No {} has a touch sent or a closed deal with 2+ touches yet.", v.name());
        return theme::empty_panel(area, t, "Nothing to compare yet", &msg);
    }
    let k_max = v.last_touch();
    let rows = || v.drawn.iter().flat_map(|g| g.response_by_touch.iter().filter(|r| r.touch <= k_max));
    let conv = v.has_conversion();
    let mut items = vec![];
    if rows().any(|r| r.sent >= SMALL_N && r.rate.is_some()) {
        items.push((Swatch::Bar(SKY), "Response rate at the touch".to_owned()));
        items.push((Swatch::Whisker(INK), "95% interval".to_owned()));
    }
    if !v.real.is_empty() {
        let versus = if v.pair() { "between the two" } else { "vs the rest" };
        items.push((Swatch::Bar(BLUE), format!("Real difference {versus}")));
    }
    if k_max > 0 && m.response_by_touch.iter().any(|r| r.rate.is_some()) {
        items.push((Swatch::Level(MUTED), format!("All {}", if conv { "deals" } else { "channels" })));
    }
    if rows().any(|r| r.sent > 0 && r.sent < SMALL_N) {
        items.push((Swatch::Hollow(GREY), format!("Fewer than {SMALL_N} deals")));
    }
    let body = if items.is_empty() { area.clone() } else { theme::legend(area, t, &items)? };

    let (w, _) = body.dim_in_pixel();
    if conv {
        let gap = t.upx(28.0);
        let right_w = (w as f64 * 0.36) as u32;
        let (left, right) = body.split_horizontally(w.saturating_sub(right_w));
        response_grid(&left.margin(0, 0, 0, gap), t, &v, m, k_max)?;
        conversion_panel(&right, t, &v, m)
    } else {
        response_grid(&body, t, &v, m, k_max)
    }
}

/// Columns and rows of the grid of `n` panels: one row up to 3, then two rows.
fn grid_shape(n: usize) -> (usize, usize) {
    match n {
        0..=3 => (n.max(1), 1),
        _ => (n.div_ceil(2), 2),
    }
}

/// The share axis of the response panels: up to the highest rate or readable whisker
/// end (whiskers of hollow bars are clipped, as in chart 1).
fn response_top(v: &View<'_>, m: &Metrics, k_max: u32) -> (f64, f64) {
    let drawn = v.drawn.iter().flat_map(|g| &g.response_by_touch);
    let all = m.response_by_touch.iter();
    let max = drawn
        .chain(all)
        .filter(|r| r.touch <= k_max)
        .flat_map(|r| [r.rate, if r.sent >= SMALL_N { r.ci_high } else { None }])
        .flatten()
        .fold(0.0, f64::max);
    theme::percent_axis(max * 1.05)
}

fn response_grid<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, v: &View<'_>, m: &Metrics, k_max: u32) -> Drawn<DB> {
    let cut = v.touches_cut().map_or(String::new(), |s| format!(" · touches 1–{MAX_TOUCHES} of {s}"));
    let area = section_heading(area, t, &format!("Response rate at each touch, by {}{cut}", v.name()))?;
    if k_max == 0 {
        let msg = "No touch rows: response by touch needs activity data.";
        return theme::empty_panel(&area, t, "No touches", msg);
    }
    let (top, step) = response_top(v, m, k_max);
    let (cols, rows) = grid_shape(v.drawn.len());
    let (w, h) = area.dim_in_pixel();
    let x_title_h = t.upx(20.0);
    let label_w = t.upx(44.0);
    let (gap_x, gap_y) = (t.upx(12.0), t.upx(10.0));
    let grid_h = h.saturating_sub(x_title_h);
    let plot_w = w.saturating_sub(label_w + gap_x * (cols as u32 - 1)) / cols as u32;
    let panel_h = grid_h.saturating_sub(gap_y * (rows as u32 - 1)) / rows as u32;
    let one_line = headings_fit(&area, t, v, plot_w)?;
    for (i, g) in v.drawn.iter().enumerate() {
        let (c, r) = ((i % cols) as u32, (i / cols) as u32);
        let x0 = if c == 0 { 0 } else { label_w + c * (plot_w + gap_x) };
        let x1 = label_w + c * (plot_w + gap_x) + plot_w;
        let y0 = r * (panel_h + gap_y);
        let panel = area.margin(y0, h.saturating_sub(y0 + panel_h), x0, w.saturating_sub(x1));
        response_panel(&panel, t, v, m, g, k_max, (top, step), if c == 0 { label_w } else { 0 }, one_line)?;
    }
    let style = anchored(t.text(t.small_size(), &MUTED), HPos::Center, VPos::Bottom);
    area.draw(&Text::new("Touch number".to_owned(), ((label_w + w) as i32 / 2, h as i32), style))
}

#[allow(clippy::too_many_arguments)]
fn response_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    v: &View<'_>,
    m: &Metrics,
    g: &GroupMetrics,
    k_max: u32,
    (top, step): (f64, f64),
    label_w: u32,
    one_line: bool,
) -> Drawn<DB> {
    let area = panel_heading(area, t, &g.key, &panel_notes(g), label_w, one_line)?;
    let mut chart = ChartBuilder::on(&area)
        .margin_top(t.px(4.0))
        .x_label_area_size(t.px(20.0))
        .y_label_area_size(label_w)
        .build_cartesian_2d(0.4..k_max as f64 + 0.6, 0.0..top)?;
    let ticks = (top / step).round() as usize + 1;
    theme::draw_panel_mesh(&mut chart, t, ticks, &|v| theme::percent_tick(*v, step))?;
    let column_px = (chart.backend_coord(&(2.0, 0.0)).0 - chart.backend_coord(&(1.0, 0.0)).0).max(1) as f64;
    let half = 0.3f64.min(t.px(30.0) as f64 / column_px);
    let clamp = |x: f64| x.clamp(0.0, top);
    for r in g.response_by_touch.iter().filter(|r| r.touch <= k_max) {
        let Some(rate) = r.rate else { continue };
        let x = r.touch as f64;
        let readable = r.sent >= SMALL_N;
        let fill = if v.marked(false, Some(r.touch), &g.key) { BLUE } else { SKY };
        let bar = if readable { fill.filled() } else { GREY.stroke_width(t.thin()) };
        chart.draw_series(std::iter::once(Rectangle::new([(x - half, 0.0), (x + half, clamp(rate))], bar)))?;
        if let (Some(lo), Some(hi)) = (r.ci_low, r.ci_high) {
            let style = if readable { INK.stroke_width(t.thin()) } else { GREY.stroke_width(t.upx(1.0)) };
            let cap = half * 0.35;
            let (lo, hi) = (clamp(lo), clamp(hi));
            chart.draw_series([
                PathElement::new(vec![(x, lo), (x, hi)], style),
                PathElement::new(vec![(x - cap, lo), (x + cap, lo)], style),
                PathElement::new(vec![(x - cap, hi), (x + cap, hi)], style),
            ])?;
        }
    }
    // The rate of all deals at each touch: a dark level across the bar's column.
    let level = MUTED.stroke_width(t.upx(2.0));
    let reach = (half + 0.12).min(0.48);
    let sent_to = |k: u32| g.response_by_touch.iter().any(|r| r.touch == k && r.sent > 0);
    for r in m.response_by_touch.iter().filter(|r| r.touch <= k_max && sent_to(r.touch)) {
        if let Some(rate) = r.rate {
            let x = r.touch as f64;
            chart.draw_series(std::iter::once(PathElement::new(vec![(x - reach, clamp(rate)), (x + reach, clamp(rate))], level)))?;
        }
    }
    if g.response_by_touch.iter().all(|r| r.sent == 0) {
        let style = anchored(t.text(t.small_size(), &MUTED), HPos::Center, VPos::Center);
        chart.draw_series(std::iter::once(Text::new("no touch sent".to_owned(), ((k_max as f64 + 1.0) / 2.0, top / 2.0), style)))?;
    }
    let labels: Vec<(f64, String, Option<String>)> = (1..=k_max).map(|k| (k as f64, k.to_string(), None)).collect();
    touch_labels(&chart, t, &labels)
}

/// Touch numbers under a small panel, every n-th when they would collide.
fn touch_labels<DB: DrawingBackend>(chart: &theme::Chart<'_, DB>, t: &Theme, labels: &[(f64, String, Option<String>)]) -> Drawn<DB> {
    let area = chart.plotting_area();
    let style = anchored(t.text(t.tiny_size(), &INK), HPos::Center, VPos::Top);
    let slot = (chart.backend_coord(&(2.0, 0.0)).0 - chart.backend_coord(&(1.0, 0.0)).0).max(1) as u32;
    let widest = labels.iter().map(|(_, s, _)| area.estimate_text_size(s, &style).map(|d| d.0)).collect::<Result<Vec<u32>, _>>()?.into_iter().max().unwrap_or(0);
    let every = ((widest + t.upx(5.0)) / slot + 1) as usize;
    for (i, (x, s, _)) in labels.iter().enumerate() {
        if i % every == 0 {
            area.draw(&(EmptyElement::at((*x, 0.0)) + Text::new(s.clone(), (0, t.px(4.0)), style.clone())))?;
        }
    }
    Ok(())
}

/// A bold heading over the whole left or right part; returns the area below it.
fn section_heading<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, text: &str) -> DrawnAs<DrawingArea<DB, Shift>, DB> {
    let (w, _) = area.dim_in_pixel();
    let style = theme::fit(area, text, t.bold(t.body_size(), &INK), w)?;
    let (_, h) = area.estimate_text_size(text, &style)?;
    area.draw(&Text::new(text.to_owned(), (0, 0), anchored(style, HPos::Left, VPos::Top)))?;
    Ok(area.margin(h + t.upx(8.0), 0, 0, 0))
}

/// The notes of a panel heading, longest first: "n = 875 sent touch 1", "n = 875".
fn panel_notes(g: &GroupMetrics) -> [String; 2] {
    let sent = count(touch_1_sent(g));
    [format!("n = {sent} sent touch 1"), format!("n = {sent}")]
}

/// Whether every drawn panel's heading fits on one line: the group, then its shortest
/// note, in `width` pixels. Else every heading takes two lines, so the plots of a row
/// stay aligned.
fn headings_fit<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, v: &View<'_>, width: u32) -> DrawnAs<bool, DB> {
    let (style, note_style) = (t.bold(t.small_size(), &INK), t.text(t.tiny_size(), &MUTED));
    for g in &v.drawn {
        let (kw, _) = area.estimate_text_size(&g.key, &style)?;
        let (nw, _) = area.estimate_text_size(&panel_notes(g)[1], &note_style)?;
        if kw + t.upx(8.0) + nw > width {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A panel's heading: the group (bold, shortened with "…" only when it is wider than
/// the panel) and the longest of `notes` that fits (muted), after it on one line or
/// under it on a second line. Returns the area below.
fn panel_heading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    key: &str,
    notes: &[String],
    left: u32,
    one_line: bool,
) -> DrawnAs<DrawingArea<DB, Shift>, DB> {
    let (w, _) = area.dim_in_pixel();
    let style = t.bold(t.small_size(), &INK);
    let note_style = t.text(t.tiny_size(), &MUTED);
    let key = shorten(area, key, &style, w.saturating_sub(left))?;
    let (kw, kh) = area.estimate_text_size(&key, &style)?;
    area.draw(&Text::new(key, (left as i32, 0), anchored(style, HPos::Left, VPos::Top)))?;
    let (x, y) = if one_line { (left + kw + t.upx(8.0), t.px(1.5)) } else { (left, kh as i32 + t.px(2.0)) };
    let mut below = kh + t.upx(2.0);
    for note in notes {
        let (nw, nh) = area.estimate_text_size(note, &note_style)?;
        if x + nw <= w {
            area.draw(&Text::new(note.clone(), (x as i32, y), anchored(note_style, HPos::Left, VPos::Top)))?;
            if !one_line {
                below += nh + t.upx(2.0);
            }
            break;
        }
    }
    Ok(area.margin(below, 0, 0, 0))
}

/// `text`, cut with "…" until it fits in `max` pixels.
fn shorten<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str, style: &TextStyle<'static>, max: u32) -> DrawnAs<String, DB> {
    if area.estimate_text_size(text, style)?.0 <= max {
        return Ok(text.to_owned());
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (1..chars.len()).rev() {
        let s: String = chars[..keep].iter().collect::<String>().trim_end().to_owned() + "…";
        if area.estimate_text_size(&s, style)?.0 <= max {
            return Ok(s);
        }
    }
    Ok("…".to_owned())
}

/// The right panel: conversion after follow-up per drawn group, a dot with its 95%
/// interval, beside a dashed line at the rate of all deals.
fn conversion_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, v: &View<'_>, m: &Metrics) -> Drawn<DB> {
    let area = section_heading(area, t, "Conversion after follow-up")?;
    let note = "won ÷ closed, deals with 2+ touches; 95% interval";
    let (w, _) = area.dim_in_pixel();
    let note_style = theme::fit(&area, note, t.text(t.tiny_size(), &MUTED), w)?;
    let (_, nh) = area.estimate_text_size(note, &note_style)?;
    area.draw(&Text::new(note.to_owned(), (0, 0), anchored(note_style, HPos::Left, VPos::Top)))?;
    let area = area.margin(nh + t.upx(8.0), 0, 0, 0);

    let groups: Vec<(&GroupMetrics, Option<(u64, u64)>)> = v.drawn.iter().map(|g| (*g, closed(g).filter(|(_, n)| *n > 0))).collect();
    let overall = m.conversion_after_follow_up.rate;
    let max = groups
        .iter()
        .filter_map(|(_, c)| *c)
        .flat_map(|(k, n)| {
            let ci = if n >= SMALL_N { stats::wilson(k, n).map(|x| x.1) } else { None };
            [Some(k as f64 / n as f64), ci]
        })
        .flatten()
        .chain(overall)
        .fold(0.0, f64::max);
    let (top, step) = theme::percent_axis(max * 1.05);

    let name_style = t.text(t.small_size(), &INK);
    let value_style = t.text(t.tiny_size(), &MUTED);
    let name_w = t.upx(150.0).min(w * 9 / 20);
    let n = groups.len();
    let mut chart = ChartBuilder::on(&area)
        .margin_top(t.px(14.0))
        .margin_right(t.px(16.0))
        .x_label_area_size(t.px(22.0))
        .y_label_area_size(name_w + t.upx(10.0))
        .build_cartesian_2d(0.0..top, 0.4..n as f64 + 0.6)?;
    let ticks = ((top / step).round() as usize + 1).min(6);
    let x_step = if ticks < (top / step).round() as usize + 1 { step * 2.0 } else { step };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(((top / x_step).round() as usize) + 1)
        .x_label_formatter(&|x| theme::percent_tick(*x, x_step))
        .x_label_style(t.text(t.tiny_size(), &INK))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(t.upx(1.0)))
        .axis_style(GREY.stroke_width(t.upx(1.0)))
        .set_tick_mark_size(LabelAreaPosition::Bottom, t.px(3.0))
        .set_tick_mark_size(LabelAreaPosition::Left, 0)
        .draw()?;
    // Rows top to bottom in drawing order.
    let y_of = |i: usize| (n - i) as f64;
    if let Some(all) = overall {
        let style = MUTED.stroke_width(t.thin());
        chart.draw_series(std::iter::once(DashedPathElement::new(vec![(all.min(top), 0.4), (all.min(top), n as f64 + 0.6)], t.upx(5.0), t.upx(4.0), style)))?;
        let label = anchored(t.text(t.tiny_size(), &MUTED), HPos::Center, VPos::Bottom);
        chart.draw_series(std::iter::once(EmptyElement::at((all.min(top), n as f64 + 0.6)) + Text::new(format!("all {}", percent(Some(all))), (0, -t.px(2.0)), label)))?;
    }
    // Each row: the group's name over its rate and counts, right-aligned left of the plot.
    let base = area.get_base_pixel();
    let (x_left, _) = chart.backend_coord(&(0.0, 0.0));
    let label_x = x_left - t.px(10.0) - base.0;
    for (i, (g, c)) in groups.iter().enumerate() {
        let y = y_of(i);
        let (_, py) = chart.backend_coord(&(0.0, y));
        let py = py - base.1;
        let name = shorten(&area, &g.key, &name_style, name_w)?;
        area.draw(&Text::new(name, (label_x, py + t.px(1.0)), anchored(name_style.clone(), HPos::Right, VPos::Bottom)))?;
        let value_at = (label_x, py + t.px(3.0));
        let Some((k, total)) = *c else {
            let text = if g.conversion_after_follow_up.is_some() { "no closed deal yet" } else { "–" };
            area.draw(&Text::new(text.to_owned(), value_at, anchored(value_style.clone(), HPos::Right, VPos::Top)))?;
            continue;
        };
        let rate = k as f64 / total as f64;
        let readable = total >= SMALL_N;
        if let Some((lo, hi)) = stats::wilson(k, total) {
            let style = if readable { INK.stroke_width(t.thin()) } else { GREY.stroke_width(t.upx(1.0)) };
            let (lo, hi) = (lo.min(top), hi.min(top));
            chart.draw_series([PathElement::new(vec![(lo, y), (hi, y)], style)])?;
            let cap = t.px(5.0);
            for x in [lo, hi] {
                chart.draw_series(std::iter::once(EmptyElement::at((x, y)) + PathElement::new(vec![(0, -cap), (0, cap)], style)))?;
            }
        }
        let at = (rate.min(top), y);
        if !readable {
            chart.draw_series(std::iter::once(EmptyElement::at(at) + Circle::new((0, 0), t.upx(5.0), WHITE.filled())))?;
            chart.draw_series(std::iter::once(EmptyElement::at(at) + Circle::new((0, 0), t.upx(5.0), GREY.stroke_width(t.thin()))))?;
        } else if v.marked(true, None, &g.key) {
            let r = t.px(7.5);
            chart.draw_series(std::iter::once(EmptyElement::at(at) + Polygon::new(vec![(0, -r), (r, 0), (0, r), (-r, 0)], BLUE.filled())))?;
        } else {
            chart.draw_series(std::iter::once(EmptyElement::at(at) + Circle::new((0, 0), t.upx(5.5), SKY.filled())))?;
            chart.draw_series(std::iter::once(EmptyElement::at(at) + Circle::new((0, 0), t.upx(5.5), INK.stroke_width(t.upx(1.0)))))?;
        }
        let text = format!("{} · {} of {}", percent(Some(rate)), count(k), count(total));
        let style = if v.marked(true, None, &g.key) { t.bold(t.tiny_size(), &INK) } else { value_style.clone() };
        area.draw(&Text::new(text, value_at, anchored(style, HPos::Right, VPos::Top)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Fixtures (`testdata/`, metrics.json written by the real binary with
    //! `--as-of 2026-10-31`, minus the due list and trend the chart does not read):
    //!
    //! - `groups_sample.json`: `followup report sample_data/followup_log.csv --by cadence
    //!   --by owner` (4 cadences, 5 owners: each against the rest);
    //! - `groups_two.json`: the rows of the same log whose Owner is Maria Lopez or Tom
    //!   Becker, `--by owner --by cadence` (two owners: a pair);
    //! - `groups_fixture.json`: `tests/fixtures/groups/log.csv` (see its case.md),
    //!   `--by cadence --by owner --by month --by channel` (an empty cadence, Gamma; one
    //!   month; two channels, which have no deal metrics).

    use super::super::{render_png, render_svg, ChartKind, Spec};
    use super::*;

    const SKY_HEX: &str = "#56B4E9";
    const BLUE_HEX: &str = "#0072B2";

    fn fixture(name: &str) -> Metrics {
        let text = match name {
            "sample" => include_str!("testdata/groups_sample.json"),
            "two" => include_str!("testdata/groups_two.json"),
            "fixture" => include_str!("testdata/groups_fixture.json"),
            other => panic!("no fixture {other}"),
        };
        serde_json::from_str(text).unwrap_or_else(|e| panic!("fixture {name} does not match Metrics: {e}"))
    }

    fn svg(dim: Dimension, m: &Metrics) -> String {
        render_svg(ChartKind::Groups(dim), m, &Spec::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The text content of every `<text>` element (XML-escaped as written).
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|s| s.split_once('>').and_then(|(_, rest)| rest.split_once("</text>")).map(|(t, _)| t.trim().to_owned()))
            .collect()
    }

    fn filled(svg: &str, element: &str, color: &str) -> usize {
        let needle = format!("fill=\"{color}\"");
        svg.lines().filter(|l| l.starts_with(element) && l.contains(&needle)).count()
    }

    /// The response panels drawn: each labels its touch 1 under the axis (the only
    /// text "1": axis ticks are percentages).
    fn panels(svg: &str) -> usize {
        texts(svg).iter().filter(|t| *t == "1").count()
    }

    fn title(dim: Dimension, m: &Metrics) -> String {
        ChartKind::Groups(dim).title(m)
    }

    #[test]
    fn grid_is_one_row_up_to_three_then_two() {
        assert_eq!(grid_shape(1), (1, 1));
        assert_eq!(grid_shape(2), (2, 1));
        assert_eq!(grid_shape(3), (3, 1));
        assert_eq!(grid_shape(4), (2, 2));
        assert_eq!(grid_shape(5), (3, 2));
        assert_eq!(grid_shape(8), (4, 2));
    }

    #[test]
    fn a_real_conversion_difference_names_the_better_group_first() {
        // Maria Lopez 43 won of 204 closed (21.08%), Tom Becker 19 of 193 (9.84%);
        // Holm over 9 comparisons p = 0.0185, Newcombe 4.1 to 18.2 points.
        let mut m = fixture("two");
        let want = "Maria Lopez converts 21.1% vs 9.8% for Tom Becker — a real difference";
        assert_eq!(title(Dimension::Owner, &m), want);
        // The same comparison stated the other way round (Tom first, a negative
        // difference) still names Maria, the better group, first.
        let c = m.comparisons.get_mut("owner").and_then(|c| c.list.iter_mut().find(|c| c.metric == CONVERSION)).expect("conversion");
        (c.group, c.versus) = (c.versus.clone(), c.group.clone());
        (c.k1, c.n1, c.k2, c.n2) = (c.k2, c.n2, c.k1, c.n1);
        (c.diff, c.ci_low, c.ci_high) = (-c.diff, -c.ci_high, -c.ci_low);
        assert_eq!(title(Dimension::Owner, &m), want);
        let sub = ChartKind::Groups(Dimension::Owner).subtitle(&m);
        assert!(sub.starts_with("Maria Lopez (459 deals) vs Tom Becker (404 deals): 9 comparisons, p-values Holm-adjusted"), "{sub}");
        assert!(sub.contains("Response at each touch: no difference beyond chance at any touch"), "{sub}");
    }

    #[test]
    fn a_difference_is_real_only_after_holm_and_with_an_interval_clear_of_zero() {
        // Sample owners: Maria Lopez vs the rest converts with raw p = 0.0045, but Holm
        // over 45 comparisons makes it 0.20: not yet.
        let m = fixture("sample");
        let owner = &m.comparisons["owner"];
        assert!(owner.list.iter().any(|c| c.p_value < 0.05), "the fixture has raw p-values below 0.05");
        assert_eq!(title(Dimension::Owner, &m), "No owner is clearly better yet");
        let sub = ChartKind::Groups(Dimension::Owner).subtitle(&m);
        assert!(sub.contains("Conversion after follow-up 9.8% to 21.1%; response at each touch: no difference beyond chance either"), "{sub}");

        // p below 0.05 after Holm, but an interval that reaches 0: not real either.
        let mut m = fixture("two");
        let c = m.comparisons.get_mut("owner").and_then(|c| c.list.iter_mut().find(|c| c.metric == CONVERSION)).expect("conversion");
        c.ci_low = -0.01;
        assert_eq!(title(Dimension::Owner, &m), "No owner is clearly better yet");
    }

    #[test]
    fn response_findings_prefer_the_better_group_and_list_the_rest() {
        // Sample cadences at touch 2: 6-touch 30-day 47 of 291 (16.2%) vs the rest 59 of
        // 655 (9.0%), Holm p = 0.031; 3-email quick 28 of 430 (6.5%) vs 78 of 516
        // (15.1%), Holm p = 0.0007. The higher one leads; conversion is not real.
        let m = fixture("sample");
        assert_eq!(title(Dimension::Cadence, &m), "6-touch 30-day gets more responses at touch 2: 16.2% vs 9.0% for the rest — a real difference");
        let sub = ChartKind::Groups(Dimension::Cadence).subtitle(&m);
        let lines: Vec<&str> = sub.lines().collect();
        assert_eq!(lines[0], "4 cadences, each against the rest: 25 comparisons, p-values Holm-adjusted; an association, not proof of cause");
        // Conversion 54/414 = 13.0% (3-email quick) to 6/31 = 19.4% ((none)).
        assert_eq!(lines[1], "Conversion after follow-up: no cadence differs beyond chance (13.0% to 19.4%); also 3-email quick lower at touch 2 (6.5% vs 15.1%)");
        assert_eq!(lines.len(), 2, "nothing left out: {sub}");
        // Only a lower group: it is named, with "fewer". Two-owner cadences: 3-email
        // quick 12 of 188 (6.4%) vs the rest 36 of 204 (17.6%) at touch 2.
        assert_eq!(title(Dimension::Cadence, &fixture("two")), "3-email quick gets fewer responses at touch 2: 6.4% vs 17.6% for the rest — a real difference");
    }

    #[test]
    fn no_difference_and_too_few_and_nothing_to_compare() {
        let m = fixture("fixture");
        assert_eq!(title(Dimension::Cadence, &m), "No cadence is clearly better yet");
        assert_eq!(title(Dimension::Channel, &m), "No channel is clearly better yet");
        assert_eq!(title(Dimension::Month, &m), "Nothing to compare by month: every deal is in one month, 2026-09");
        let mut none = m.clone();
        none.comparisons.get_mut("cadence").expect("cadence").list.clear();
        assert_eq!(title(Dimension::Cadence, &none), "Too few deals to compare cadences yet");
        // A dimension the report was not run with.
        assert_eq!(title(Dimension::Channel, &fixture("sample")), "Nothing to compare by channel: no deal in this report has a channel to group by");
        let mut unnamed = m.clone();
        unnamed.groups.get_mut("month").expect("month")[0].key = "(none)".to_owned();
        assert_eq!(title(Dimension::Month, &unnamed), "Nothing to compare by month: no deal has a month");
        for dim in [Dimension::Month, Dimension::Channel] {
            let s = svg(dim, &if dim == Dimension::Month { m.clone() } else { fixture("sample") });
            assert!(texts(&s).contains(&"Nothing to compare".to_owned()), "{dim:?}");
            assert_eq!(filled(&s, "<rect", SKY_HEX) + panels(&s), 0, "{dim:?}: no bars, no panels");
        }
    }

    #[test]
    fn one_panel_per_group_with_data_and_none_for_an_empty_group() {
        // Fixture cadences: Alpha, Beta and (none) sent touches; Gamma has one open deal
        // with no touch: no panel and no conversion row, and the subtitle says so.
        let m = fixture("fixture");
        let s = svg(Dimension::Cadence, &m);
        assert_eq!(panels(&s), 3);
        let t = texts(&s);
        for key in ["Alpha", "Beta", "(none)"] {
            // Its response panel heading and its conversion row.
            assert_eq!(t.iter().filter(|x| *x == key).count(), 2, "{key}");
        }
        assert!(!t.iter().any(|x| x == "Gamma"), "no panel for the empty group");
        assert!(t.iter().any(|x| x.starts_with("Not drawn: Gamma (no touch sent, no closed deal)")), "{t:?}");
        // (none) is open with one touch: no closed deal to convert.
        assert!(t.contains(&"no closed deal yet".to_owned()));
        // Every bar rests on fewer than 10 deals: all hollow, no sky bar.
        assert_eq!(filled(&s, "<rect", SKY_HEX), 0);
        // Channel: two panels, no conversion panel (a deal has many channels).
        let s = svg(Dimension::Channel, &m);
        assert_eq!(panels(&s), 2);
        assert!(!texts(&s).contains(&"Conversion after follow-up".to_owned()));
        for (dim, n) in [(Dimension::Cadence, 4), (Dimension::Owner, 5)] {
            assert_eq!(panels(&svg(dim, &fixture("sample"))), n, "{dim:?}");
        }
    }

    #[test]
    fn bars_and_dots_mark_the_real_differences() {
        // Sample cadences, readable touches (sent >= 10): 3-email quick 1-3, 6-touch
        // 30-day 1-6, Weekly calls 1-8, (none) 1-3 = 20 bars; the two at touch 2 of
        // 3-email quick and 6-touch 30-day are real differences (dark blue).
        let s = svg(Dimension::Cadence, &fixture("sample"));
        assert_eq!(filled(&s, "<rect", BLUE_HEX), 2 + 1, "2 marked bars + legend");
        assert_eq!(filled(&s, "<rect", SKY_HEX), 18 + 1, "18 other bars + legend");
        // Four conversion dots (every group has 10+ closed deals), none marked.
        assert_eq!(filled(&s, "<circle", SKY_HEX), 4);
        assert_eq!(filled(&s, "<polygon", BLUE_HEX), 0);
        // Two owners: both conversion dots are marked (a pair differs together); no
        // response bar is.
        let s = svg(Dimension::Owner, &fixture("two"));
        assert_eq!(filled(&s, "<polygon", BLUE_HEX), 2);
        assert_eq!(filled(&s, "<circle", SKY_HEX), 0);
        assert_eq!(filled(&s, "<rect", BLUE_HEX), 1, "the legend only");
        assert!(texts(&s).contains(&"21.1% · 43 of 204".to_owned()) && texts(&s).contains(&"9.8% · 19 of 193".to_owned()));
    }

    #[test]
    fn more_than_eight_groups_draw_the_largest_and_count_the_others() {
        // Eleven owners: the five of the sample and six copies with fewer deals.
        let mut m = fixture("sample");
        let owners = m.groups.get_mut("owner").expect("owner");
        let base = owners.clone();
        for (i, g) in base.iter().chain(base.iter().take(1)).enumerate() {
            let mut g = g.clone();
            g.key = format!("Copy {i}");
            if let Some(d) = g.deals.as_mut() {
                d.total = 10 + i; // 10..=15 deals: smaller than every real owner (349+)
            }
            owners.push(g);
        }
        let s = svg(Dimension::Owner, &m);
        assert_eq!(panels(&s), MAX_GROUPS);
        let t = texts(&s);
        // The three smallest (10, 11 and 12 deals) are left out; 13, 14, 15 are drawn.
        for i in 0..3 {
            assert!(!t.contains(&format!("Copy {i}")), "Copy {i} is among the smallest");
        }
        for i in 3..6 {
            assert!(t.contains(&format!("Copy {i}")), "Copy {i} is drawn");
        }
        let sub = ChartKind::Groups(Dimension::Owner).subtitle(&m);
        assert!(sub.contains("Not drawn: 3 more owners with fewer deals (33 in all); every group is in tables/groups_owner.csv"), "{sub}");
    }

    #[test]
    fn charts_render_as_svg_and_png_for_every_dimension() {
        for name in ["sample", "two", "fixture"] {
            let m = fixture(name);
            for dim in [Dimension::Cadence, Dimension::Owner, Dimension::Channel, Dimension::Month] {
                let kind = ChartKind::Groups(dim);
                let s = svg(dim, &m);
                assert_eq!(s, svg(dim, &m), "{name}/{dim:?}: deterministic");
                let title = kind.title(&m).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
                assert!(texts(&s).contains(&title), "{name}/{dim:?}: title drawn");
                assert!(!s.contains(" id=") && s.trim_end().ends_with("</svg>"), "{name}/{dim:?}");
                let png = render_png(kind, &m, &Spec::default()).unwrap_or_else(|e| panic!("{e}"));
                let dec = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap_or_else(|e| panic!("{e}"));
                assert_eq!((dec.info().width, dec.info().height), (960, 540), "{name}/{dim:?}");
            }
        }
        assert!(render_svg(ChartKind::Groups(Dimension::Cadence), &fixture("sample"), &Spec::MIN).is_ok());
    }

    #[test]
    fn a_report_lists_one_group_chart_per_dimension() {
        let kinds = ChartKind::for_report(&fixture("fixture"));
        let stems: Vec<&str> = kinds.iter().map(|k| k.file_stem()).collect();
        assert_eq!(stems[..5], ChartKind::ALL.map(|k| k.file_stem()));
        assert_eq!(stems[5..], ["groups_cadence", "groups_channel", "groups_month", "groups_owner"]);
        assert_eq!(ChartKind::groups("owner"), Some(ChartKind::Groups(Dimension::Owner)));
        assert_eq!(ChartKind::groups("region"), None);
    }

    #[test]
    fn group_names_are_escaped_in_svg() {
        // The owners renamed to hostile text, everywhere the chart reads a name.
        let mut m = fixture("two");
        let rename = |k: &str| match k {
            "Maria Lopez" => "<script>alert(1)</script>".to_owned(),
            "Tom Becker" => "=HYPERLINK(\"x\") & co".to_owned(),
            other => other.to_owned(),
        };
        for g in m.groups.get_mut("owner").expect("owner") {
            g.key = rename(&g.key);
        }
        for c in &mut m.comparisons.get_mut("owner").expect("owner").list {
            (c.group, c.versus) = (rename(&c.group), rename(&c.versus));
        }
        let s = svg(Dimension::Owner, &m);
        assert!(!s.contains("<script>"), "raw markup in the SVG");
        assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && s.contains("=HYPERLINK(&quot;x&quot;) &amp; co"), "escaped names drawn");
        assert!(s.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; converts 21.1% vs 9.8% for =HYPERLINK(&quot;x&quot;) &amp; co"));
    }

    /// The group charts' SVG, as insta snapshots: two groups (a pair with a real
    /// conversion difference), many groups with an empty one, the sample's cadences
    /// (real response differences), and the one-group "nothing to compare" panel.
    #[test]
    fn svg_snapshots() {
        insta::assert_snapshot!("groups_two_owner", svg(Dimension::Owner, &fixture("two")));
        insta::assert_snapshot!("groups_fixture_cadence", svg(Dimension::Cadence, &fixture("fixture")));
        insta::assert_snapshot!("groups_sample_cadence", svg(Dimension::Cadence, &fixture("sample")));
        insta::assert_snapshot!("groups_fixture_month", svg(Dimension::Month, &fixture("fixture")));
    }
}
