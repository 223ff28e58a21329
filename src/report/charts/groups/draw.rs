//! How chart 6, `groups_<dimension>`, is drawn (module docs of [`super`]): the legend,
//! the grid of response panels and the conversion panel, from the [`View`] the title
//! and subtitle read too.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{closed, nothing_to_compare, touch_1_sent, View, MAX_TOUCHES};
use crate::fmt::{count, percent};
use crate::metrics::groups::{Dimension, GroupMetrics};
use crate::metrics::{stats, Metrics};
use crate::report::charts::response_by_touch::SMALL_N;
use crate::report::charts::theme::{self, anchored, Drawn, DrawnAs, Swatch, Theme, BLUE, GREY, GRID, INK, MUTED, SKY};

pub(in crate::report::charts) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    dim: Dimension,
    m: &Metrics,
) -> Drawn<DB> {
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
    let items = legend_items(&v, m, k_max);
    let body = if items.is_empty() { area.clone() } else { theme::legend(area, t, &items)? };

    let (w, _) = body.dim_in_pixel();
    if v.has_conversion() {
        let gap = t.upx(28.0);
        let right_w = (w as f64 * 0.36) as u32;
        let (left, right) = body.split_horizontally(w.saturating_sub(right_w));
        response_grid(&left.margin(0, 0, 0, gap), t, &v, m, k_max)?;
        conversion_panel(&right, t, &v, m)
    } else {
        response_grid(&body, t, &v, m, k_max)
    }
}

/// The legend: only what the chart shows.
fn legend_items(v: &View<'_>, m: &Metrics, k_max: u32) -> Vec<(Swatch, String)> {
    let rows = || v.drawn.iter().flat_map(|g| g.response_by_touch.iter().filter(|r| r.touch <= k_max));
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
        items.push((Swatch::Level(MUTED), format!("All {}", if v.has_conversion() { "deals" } else { "channels" })));
    }
    if rows().any(|r| r.sent > 0 && r.sent < SMALL_N) {
        items.push((Swatch::Hollow(GREY), format!("Fewer than {SMALL_N} deals")));
    }
    items
}

/// The panels of the chart drawn one by one for a narrow column, with their heights at
/// the base design's sizes: the legend over the response grid (two groups a row), then
/// the conversion panel (not for channel); the whole body as one panel when there is
/// nothing to compare.
pub(in crate::report::charts) fn panels(dim: Dimension, m: &Metrics) -> Vec<(String, f64)> {
    let v = View::of(dim, m);
    if nothing_to_compare(&v).is_some() || v.drawn.is_empty() {
        return vec![(super::title(dim, m), 200.0)];
    }
    let n = v.drawn.len();
    let items = legend_items(&v, m, v.last_touch()).len();
    let legend = 10.0 + 22.0 * items.min(items.div_ceil(2) + 1) as f64;
    let rows = n.div_ceil(NARROW_COLUMNS) as f64;
    let mut out = vec![(format!("Response rate at each touch, by {}", v.name()), legend + 52.0 + 150.0 * rows)];
    if v.has_conversion() {
        out.push(("Conversion after follow-up".to_owned(), 110.0 + 44.0 * n as f64));
    }
    out
}

/// Panel `index` of [`panels`] in `area`.
pub(in crate::report::charts) fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    dim: Dimension,
    m: &Metrics,
    index: usize,
) -> Drawn<DB> {
    let v = View::of(dim, m);
    if nothing_to_compare(&v).is_some() || v.drawn.is_empty() {
        return draw(area, t, dim, m);
    }
    if index == 0 {
        let k_max = v.last_touch();
        let items = legend_items(&v, m, k_max);
        let body = if items.is_empty() { area.clone() } else { theme::legend(area, t, &items)? };
        response_grid(&body, t, &v, m, k_max)
    } else {
        conversion_panel(area, t, &v, m)
    }
}

/// Response panels a row in a narrow column ([`Theme::narrow`]).
const NARROW_COLUMNS: usize = 2;

/// Columns and rows of the grid of `n` panels: one row up to 3, then two rows.
pub(super) fn grid_shape(n: usize) -> (usize, usize) {
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

fn response_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    v: &View<'_>,
    m: &Metrics,
    k_max: u32,
) -> Drawn<DB> {
    let cut = v.touches_cut().map_or(String::new(), |s| format!(" · touches 1–{MAX_TOUCHES} of {s}"));
    let area = section_heading(area, t, &format!("Response rate at each touch, by {}{cut}", v.name()))?;
    if k_max == 0 {
        let msg = "No touch rows: response by touch needs activity data.";
        return theme::empty_panel(&area, t, "No touches", msg);
    }
    let (top, step) = response_top(v, m, k_max);
    let (cols, rows) = grid_shape(v.drawn.len());
    let (cols, rows) =
        if t.narrow() { (cols.min(NARROW_COLUMNS), v.drawn.len().div_ceil(NARROW_COLUMNS)) } else { (cols, rows) };
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
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x - reach, clamp(rate)), (x + reach, clamp(rate))],
                level,
            )))?;
        }
    }
    if g.response_by_touch.iter().all(|r| r.sent == 0) {
        let style = anchored(t.text(t.small_size(), &MUTED), HPos::Center, VPos::Center);
        chart.draw_series(std::iter::once(Text::new(
            "no touch sent".to_owned(),
            ((k_max as f64 + 1.0) / 2.0, top / 2.0),
            style,
        )))?;
    }
    let labels: Vec<(f64, String, Option<String>)> = (1..=k_max).map(|k| (k as f64, k.to_string(), None)).collect();
    touch_labels(&chart, t, &labels)
}

/// Touch numbers under a small panel, every n-th when they would collide.
fn touch_labels<DB: DrawingBackend>(
    chart: &theme::Chart<'_, DB>,
    t: &Theme,
    labels: &[(f64, String, Option<String>)],
) -> Drawn<DB> {
    let area = chart.plotting_area();
    let style = anchored(t.text(t.tiny_size(), &INK), HPos::Center, VPos::Top);
    let slot = (chart.backend_coord(&(2.0, 0.0)).0 - chart.backend_coord(&(1.0, 0.0)).0).max(1) as u32;
    let widest = labels
        .iter()
        .map(|(_, s, _)| area.estimate_text_size(s, &style).map(|d| d.0))
        .collect::<Result<Vec<u32>, _>>()?
        .into_iter()
        .max()
        .unwrap_or(0);
    let every = ((widest + t.upx(5.0)) / slot + 1) as usize;
    for (i, (x, s, _)) in labels.iter().enumerate() {
        if i % every == 0 {
            area.draw(&(EmptyElement::at((*x, 0.0)) + Text::new(s.clone(), (0, t.px(4.0)), style.clone())))?;
        }
    }
    Ok(())
}

/// A bold heading over the whole left or right part; returns the area below it.
fn section_heading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    text: &str,
) -> DrawnAs<DrawingArea<DB, Shift>, DB> {
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
fn headings_fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    v: &View<'_>,
    width: u32,
) -> DrawnAs<bool, DB> {
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
fn shorten<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'static>,
    max: u32,
) -> DrawnAs<String, DB> {
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
fn conversion_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    v: &View<'_>,
    m: &Metrics,
) -> Drawn<DB> {
    let area = section_heading(area, t, "Conversion after follow-up")?;
    let note = "won ÷ closed, deals with 2+ touches; 95% interval";
    let (w, _) = area.dim_in_pixel();
    // In a narrow column the note takes two lines rather than shrinking.
    let lines: Vec<&str> = if t.narrow() { note.split_inclusive("; ").collect() } else { vec![note] };
    let mut y = 0;
    for line in lines {
        let note_style = theme::fit(&area, line, t.text(t.tiny_size(), &MUTED), w)?;
        let (_, nh) = area.estimate_text_size(line, &note_style)?;
        area.draw(&Text::new(line.trim_end().to_owned(), (0, y), anchored(note_style, HPos::Left, VPos::Top)))?;
        y += nh as i32 + t.px(2.0);
    }
    let area = area.margin(y.max(0) as u32 + t.upx(6.0), 0, 0, 0);

    let groups: Vec<(&GroupMetrics, Option<(u64, u64)>)> =
        v.drawn.iter().map(|g| (*g, closed(g).filter(|(_, n)| *n > 0))).collect();
    let overall = m.conversion_after_follow_up.rate;
    let (top, step) = conversion_top(&groups, overall);
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
    if let Some(all) = overall {
        let style = MUTED.stroke_width(t.thin());
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(all.min(top), 0.4), (all.min(top), n as f64 + 0.6)],
            t.upx(5.0),
            t.upx(4.0),
            style,
        )))?;
        let label = anchored(t.text(t.tiny_size(), &MUTED), HPos::Center, VPos::Bottom);
        chart.draw_series(std::iter::once(
            EmptyElement::at((all.min(top), n as f64 + 0.6))
                + Text::new(format!("all {}", percent(Some(all))), (0, -t.px(2.0)), label),
        ))?;
    }
    // Each row: the group's name over its rate and counts, right-aligned left of the plot.
    let base = area.get_base_pixel();
    let (x_left, _) = chart.backend_coord(&(0.0, 0.0));
    let row = Row { label_x: x_left - t.px(10.0) - base.0, base_y: base.1, name_w, top };
    // Rows top to bottom in drawing order.
    for (i, (g, c)) in groups.iter().enumerate() {
        conversion_row(&area, &mut chart, t, v, &row, (n - i) as f64, g, *c)?;
    }
    Ok(())
}

/// The share axis of the conversion panel: up to the highest rate, readable interval
/// end or the rate of all deals.
fn conversion_top(groups: &[(&GroupMetrics, Option<(u64, u64)>)], overall: Option<f64>) -> (f64, f64) {
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
    theme::percent_axis(max * 1.05)
}

/// Where the rows of the conversion panel go: the right edge of the names (in the
/// panel's pixels), the panel's top in the backend's, the names' width, the axis end.
struct Row {
    label_x: i32,
    base_y: i32,
    name_w: u32,
    top: f64,
}

/// One group's row at `y`: its name, then its interval and dot (a diamond when it is a
/// real difference, hollow on fewer than `SMALL_N` closed deals) and its rate and
/// counts; "no closed deal yet" or "–" without any.
#[allow(clippy::too_many_arguments)]
fn conversion_row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut theme::Chart<'_, DB>,
    t: &Theme,
    v: &View<'_>,
    row: &Row,
    y: f64,
    g: &GroupMetrics,
    closed: Option<(u64, u64)>,
) -> Drawn<DB> {
    let (name_style, value_style) = (t.text(t.small_size(), &INK), t.text(t.tiny_size(), &MUTED));
    let (_, py) = chart.backend_coord(&(0.0, y));
    let py = py - row.base_y;
    let name = shorten(area, &g.key, &name_style, row.name_w)?;
    area.draw(&Text::new(name, (row.label_x, py + t.px(1.0)), anchored(name_style, HPos::Right, VPos::Bottom)))?;
    let value_at = (row.label_x, py + t.px(3.0));
    let Some((k, total)) = closed else {
        let text = if g.conversion_after_follow_up.is_some() { "no closed deal yet" } else { "–" };
        return area.draw(&Text::new(text.to_owned(), value_at, anchored(value_style, HPos::Right, VPos::Top)));
    };
    let rate = k as f64 / total as f64;
    let readable = total >= SMALL_N;
    if let Some((lo, hi)) = stats::wilson(k, total) {
        let style = if readable { INK.stroke_width(t.thin()) } else { GREY.stroke_width(t.upx(1.0)) };
        let (lo, hi) = (lo.min(row.top), hi.min(row.top));
        chart.draw_series([PathElement::new(vec![(lo, y), (hi, y)], style)])?;
        let cap = t.px(5.0);
        for x in [lo, hi] {
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, y)) + PathElement::new(vec![(0, -cap), (0, cap)], style),
            ))?;
        }
    }
    let at = (rate.min(row.top), y);
    let marked = v.marked(true, None, &g.key);
    if !readable {
        chart.draw_series(std::iter::once(EmptyElement::at(at) + Circle::new((0, 0), t.upx(5.0), WHITE.filled())))?;
        chart.draw_series(std::iter::once(
            EmptyElement::at(at) + Circle::new((0, 0), t.upx(5.0), GREY.stroke_width(t.thin())),
        ))?;
    } else if marked {
        let r = t.px(7.5);
        chart.draw_series(std::iter::once(
            EmptyElement::at(at) + Polygon::new(vec![(0, -r), (r, 0), (0, r), (-r, 0)], BLUE.filled()),
        ))?;
    } else {
        chart.draw_series(std::iter::once(EmptyElement::at(at) + Circle::new((0, 0), t.upx(5.5), SKY.filled())))?;
        chart.draw_series(std::iter::once(
            EmptyElement::at(at) + Circle::new((0, 0), t.upx(5.5), INK.stroke_width(t.upx(1.0))),
        ))?;
    }
    let text = format!("{} · {} of {}", percent(Some(rate)), count(k), count(total));
    let style = if marked { t.bold(t.tiny_size(), &INK) } else { value_style };
    area.draw(&Text::new(text, value_at, anchored(style, HPos::Right, VPos::Top)))
}
