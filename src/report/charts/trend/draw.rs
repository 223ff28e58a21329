//! How chart 5, `trend`, is drawn (module docs of [`super`]): the legend, the four
//! small multiples, their lines, markers, end labels and the month and n rows.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    finding, long_name, panel_finding, panel_note, read_at, series, short_name, Months, Panel, Point, Series,
    MAX_CURRENCIES, PANELS,
};
use crate::fmt::count;
use crate::metrics::{Metrics, MonthTrend};
use crate::report::charts::response_by_touch::SMALL_N;
use crate::report::charts::theme::{
    self, anchored, Chart, Drawn, DrawnAs, Swatch, Theme, BLUE, GREEN, GREY, INK, MUTED, VERMILLION,
};

/// Series colours and markers for the currencies of the revenue panel, in turn.
pub const CURRENCY_COLOURS: [RGBColor; MAX_CURRENCIES] = [BLUE, VERMILLION, GREEN];
const SHAPES: [Shape; MAX_CURRENCIES] = [Shape::Circle, Shape::Square, Shape::Diamond];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Circle,
    Square,
    Diamond,
}

pub(in crate::report::charts) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    m: &Metrics,
) -> Drawn<DB> {
    let months = Months::of(m);
    if !months.enough() {
        let msg = match months.slots.last() {
            Some((i, _)) => format!(
                "A trend needs two calendar months of data or more; this report has one, {}.",
                long_name(*i, true)
            ),
            None => "A trend needs two calendar months of data or more; this report has none.".to_owned(),
        };
        return theme::empty_panel(area, t, "Not enough months yet", &msg);
    }
    let all: Vec<(Panel, Vec<Series>)> = PANELS.iter().map(|&p| (p, series(p, &months))).collect();
    let items = legend_items(&all);
    let body = if items.is_empty() { area.clone() } else { theme::legend(area, t, &items)? };

    let (w, h) = body.dim_in_pixel();
    let gap = t.upx(14.0);
    let (top, bottom) = body.split_vertically(h.saturating_sub(gap) / 2 + gap);
    let top = top.margin(0, gap, 0, 0);
    let (a, b) = top.split_horizontally(w.saturating_sub(gap) / 2 + gap);
    let (c, d) = bottom.split_horizontally(w.saturating_sub(gap) / 2 + gap);
    let areas = [a.margin(0, 0, 0, gap), b, c.margin(0, 0, 0, gap), d];
    for ((panel, series), area) in all.iter().zip(areas.iter()) {
        draw_panel(area, t, *panel, series, &months, false)?;
    }
    Ok(())
}

/// The legend entries: the median rule when a panel draws one, the hollow marker when a
/// point rests on too few deals.
fn legend_items(all: &[(Panel, Vec<Series>)]) -> Vec<(Swatch, String)> {
    let points = || all.iter().flat_map(|(_, s)| s).flat_map(|s| &s.points).flatten();
    let mut items = vec![];
    if all.iter().any(|(p, s)| *p != Panel::Revenue && s.first().and_then(|s| finding(*p, s)).is_some()) {
        items.push((Swatch::Rule(GREY), "Median of the readable months before the last".to_owned()));
    }
    if points().any(|p| p.small) {
        items.push((Swatch::HollowDot(BLUE), format!("Fewer than {SMALL_N} deals that month: too few to read")));
    }
    items
}

/// The legend of the whole chart, for a page that shows its panels one by one
/// ([`draw_alone`]) and says the legend once above them.
pub(in crate::report::charts) fn legend(m: &Metrics) -> Vec<(Swatch, String)> {
    let months = Months::of(m);
    if !months.enough() {
        return vec![];
    }
    legend_items(&PANELS.iter().map(|&p| (p, series(p, &months))).collect::<Vec<_>>())
}

/// How many panels [`draw_alone`] draws for `m`: the four, or none when the trend has
/// fewer than two months (the whole chart then says so in one panel).
pub(in crate::report::charts) fn panel_count(m: &Metrics) -> usize {
    if Months::of(m).enough() {
        PANELS.len()
    } else {
        0
    }
}

/// Panel `index` (in [`PANELS`] order) on its own, filling `area`: its heading and
/// verdict, its plot, its months and their n, exactly as in the whole chart.
pub(in crate::report::charts) fn draw_alone<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    m: &Metrics,
    index: usize,
) -> Drawn<DB> {
    let months = Months::of(m);
    let Some(&panel) = PANELS.get(index) else { return Ok(()) };
    draw_panel(area, t, panel, &series(panel, &months), &months, true)
}

/// The heading of panel `index`, for its alt text.
pub(in crate::report::charts) fn panel_heading(m: &Metrics, index: usize) -> String {
    let months = Months::of(m);
    PANELS.get(index).map_or(String::new(), |p| p.heading(read_at(&months)))
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    panel: Panel,
    series: &[Series],
    months: &Months<'_>,
    alone: bool,
) -> Drawn<DB> {
    let found = panel_finding(panel, series);
    let note = panel_note(panel, found.as_ref(), months);
    let area = heading(area, t, &panel.heading(read_at(months)), note, alone)?;

    let values = series.iter().flat_map(|s| &s.points).flatten().map(|p| p.value);
    let y_max = values.chain(found.as_ref().map(|f| f.median)).fold(0.0, f64::max);
    let (top, step) = axis(y_max * 1.08, panel.percent());
    let n = months.slots.len();
    let right = if panel == Panel::Revenue { end_room(&area, t, series)? } else { t.upx(46.0) };
    let mut chart = ChartBuilder::on(&area)
        .margin_top(t.px(6.0))
        .margin_right(right)
        .x_label_area_size(t.px(38.0))
        .y_label_area_size(t.px(54.0))
        .build_cartesian_2d(0.5..n as f64 + 0.5, 0.0..top)?;
    let percent = panel.percent();
    theme::draw_panel_mesh(&mut chart, t, (top / step).round() as usize + 1, &|v| tick(*v, step, percent))?;

    if let Some(f) = &found {
        let style = GREY.stroke_width(t.thin());
        // To the last month only: the right margin is for the end label.
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(0.5, f.median), (n as f64, f.median)],
            t.upx(5.0),
            t.upx(4.0),
            style,
        )))?;
    }
    let mut ends = vec![];
    for (i, s) in series.iter().enumerate() {
        let (colour, shape) = if panel == Panel::Revenue {
            (CURRENCY_COLOURS[i % MAX_CURRENCIES], SHAPES[i % MAX_CURRENCIES])
        } else {
            (BLUE, Shape::Circle)
        };
        draw_series(&mut chart, t, s, colour, shape, top)?;
        if let Some((x, p)) = s.points.iter().enumerate().rev().find_map(|(x, p)| p.as_ref().map(|p| (x, p))) {
            let text = if panel == Panel::Revenue { s.name.clone() } else { panel.value(p.value) };
            ends.push(((x as f64 + 1.0, p.value.clamp(0.0, top)), text, colour));
        }
    }
    end_labels(&chart, t, ends)?;
    if series.iter().all(|s| s.points.iter().all(Option::is_none)) {
        let style = anchored(t.text(t.small_size(), &MUTED), HPos::Center, VPos::Center);
        chart.draw_series(std::iter::once(Text::new(
            "no value in these months".to_owned(),
            ((n as f64 + 1.0) / 2.0, top / 2.0),
            style,
        )))?;
    }
    month_labels(&chart, t, panel, months)
}

/// The panel heading (bold) with its verdict (muted) after it; returns the area below.
/// A verdict that does not fit after the heading is left out of the whole chart (its
/// title says the finding) and put on a line of its own in a panel drawn `alone`.
fn heading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    text: &str,
    note: Option<String>,
    alone: bool,
) -> DrawnAs<DrawingArea<DB, Shift>, DB> {
    let (w, _) = area.dim_in_pixel();
    let style = theme::fit(area, text, t.bold(t.body_size(), &INK), w)?;
    let (tw, th) = area.estimate_text_size(text, &style)?;
    area.draw(&Text::new(text.to_owned(), (0, 0), anchored(style, HPos::Left, VPos::Top)))?;
    let mut below = th + t.upx(4.0);
    if let Some(note) = note {
        let (x, note) = (tw as i32 + t.px(10.0), format!("· {note}"));
        let style = t.text(t.small_size(), &MUTED);
        let (nw, nh) = area.estimate_text_size(&note, &style)?;
        if x + nw as i32 <= w as i32 {
            area.draw(&Text::new(note, (x, t.px(1.5)), anchored(style, HPos::Left, VPos::Top)))?;
        } else if alone {
            let y = below as i32 - t.px(2.0);
            area.draw(&Text::new(note, (0, y), anchored(style, HPos::Left, VPos::Top)))?;
            below = (y + nh as i32).max(0) as u32 + t.upx(4.0);
        }
    }
    Ok(area.margin(below, 0, 0, 0))
}

/// A top and step for a small panel's y axis: at most 5 intervals of 1, 2 or 5 × 10ⁿ
/// (the steps plotters picks its ticks from); a percent axis never passes 100%.
pub(super) fn axis(max: f64, percent: bool) -> (f64, f64) {
    let cap = if percent { 1.0 } else { f64::INFINITY };
    let max = if max.is_finite() && max > 0.0 {
        max.min(cap)
    } else if percent {
        0.1
    } else {
        1.0
    };
    let mag = 10f64.powf((max / 5.0).log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|k| k * mag).find(|s| max / s <= 5.0 + 1e-9).unwrap_or(10.0 * mag);
    let top = ((max / step) - 1e-9).ceil().max(1.0) * step;
    let clean = |v: f64| (v * 1e9).round() / 1e9;
    (clean(top.min(cap)), clean(step))
}

pub(super) fn tick(v: f64, step: f64, percent: bool) -> String {
    if percent {
        theme::percent_tick(v, step)
    } else if (step - step.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Right margin of the revenue panel: room for the widest currency code.
fn end_room<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, series: &[Series]) -> DrawnAs<u32, DB> {
    let style = t.bold(t.tiny_size(), &INK);
    let mut widest = 0;
    for s in series {
        widest = widest.max(area.estimate_text_size(&s.name, &style)?.0);
    }
    Ok(widest.min(t.upx(90.0)) + t.upx(14.0))
}

/// Thin lines between neighbouring months with a value, then the markers (hollow on
/// few deals), then "touch k" over points read at an earlier touch.
fn draw_series<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Theme,
    s: &Series,
    colour: RGBColor,
    shape: Shape,
    top: f64,
) -> Drawn<DB> {
    let at = |i: usize, p: &Point| (i as f64 + 1.0, p.value.clamp(0.0, top));
    let mut run: Vec<(f64, f64)> = vec![];
    for (i, p) in s.points.iter().enumerate() {
        match p {
            Some(p) => run.push(at(i, p)),
            None => {
                if run.len() > 1 {
                    chart.draw_series(std::iter::once(PathElement::new(
                        std::mem::take(&mut run),
                        colour.stroke_width(line_width(t)),
                    )))?;
                }
                run.clear();
            }
        }
    }
    if run.len() > 1 {
        chart.draw_series(std::iter::once(PathElement::new(run, colour.stroke_width(line_width(t)))))?;
    }
    for (i, p) in s.points.iter().enumerate() {
        let Some(p) = p else { continue };
        marker(chart, t, at(i, p), shape, colour, p.small)?;
        if let Some(k) = p.early_touch {
            let style = anchored(t.text(t.tiny_size(), &MUTED), HPos::Center, VPos::Bottom);
            chart.draw_series(std::iter::once(
                EmptyElement::at(at(i, p)) + Text::new(format!("touch {k}"), (0, -t.px(7.0)), style),
            ))?;
        }
    }
    Ok(())
}

/// The width of the lines between points: thinner than the theme's data lines, so the
/// points carry the data and the lines only their order.
fn line_width(t: &Theme) -> u32 {
    t.upx(1.2)
}

/// One marker at a data point: filled, or hollow (white inside) when `hollow`.
fn marker<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Theme,
    at: (f64, f64),
    shape: Shape,
    colour: RGBColor,
    hollow: bool,
) -> Drawn<DB> {
    let r = t.px(4.0);
    let fill = if hollow { WHITE.filled() } else { colour.filled() };
    let edge = colour.stroke_width(t.thin());
    let outline = |pts: Vec<(i32, i32)>| {
        let mut closed = pts.clone();
        closed.extend(pts.first().copied());
        closed
    };
    let poly = match shape {
        Shape::Circle => {
            chart.draw_series(std::iter::once(EmptyElement::at(at) + Circle::new((0, 0), r.max(1) as u32, fill)))?;
            if hollow {
                chart
                    .draw_series(std::iter::once(EmptyElement::at(at) + Circle::new((0, 0), r.max(1) as u32, edge)))?;
            }
            return Ok(());
        }
        Shape::Square => {
            let s = t.px(3.5);
            chart.draw_series(std::iter::once(EmptyElement::at(at) + Rectangle::new([(-s, -s), (s, s)], fill)))?;
            if hollow {
                chart.draw_series(std::iter::once(EmptyElement::at(at) + Rectangle::new([(-s, -s), (s, s)], edge)))?;
            }
            return Ok(());
        }
        Shape::Diamond => {
            let r = t.px(5.0);
            vec![(0, -r), (r, 0), (0, r), (-r, 0)]
        }
    };
    chart.draw_series(std::iter::once(EmptyElement::at(at) + Polygon::new(poly.clone(), fill)))?;
    if hollow {
        chart.draw_series(std::iter::once(EmptyElement::at(at) + PathElement::new(outline(poly), edge)))?;
    }
    Ok(())
}

/// A label just right of the last point of each line (its value, or the currency
/// code); labels of lines ending in the same month are pushed apart, and kept inside
/// the plot. `ends` holds each line's last point and its label.
fn end_labels<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    t: &Theme,
    mut ends: Vec<((f64, f64), String, RGBColor)>,
) -> Drawn<DB> {
    let bottom = chart.plotting_area().get_pixel_range().1.end;
    let line = t.px(13.0);
    let px = |at: &(f64, f64)| chart.backend_coord(at);
    ends.sort_by_key(|e| (px(&e.0).0, px(&e.0).1));
    let mut rows: Vec<i32> = ends.iter().map(|e| px(&e.0).1).collect();
    let mut start = 0;
    while start < ends.len() {
        // The labels of lines ending in the same month, top to bottom: one per row,
        // the stack shifted up when it runs off the bottom of the plot.
        let x = px(&ends[start].0).0;
        let end = ends[start..].iter().position(|e| px(&e.0).0 != x).map_or(ends.len(), |k| start + k);
        for i in start + 1..end {
            rows[i] = rows[i].max(rows[i - 1] + line);
        }
        let over = (rows[end - 1] - (bottom - line / 2)).max(0);
        for y in &mut rows[start..end] {
            *y -= over;
        }
        start = end;
    }
    for (y, (at, text, colour)) in rows.into_iter().zip(ends) {
        let offset = (t.px(9.0), y - px(&at).1);
        let style = anchored(t.bold(t.tiny_size(), &colour), HPos::Left, VPos::Center);
        chart.plotting_area().draw(&(EmptyElement::at(at) + Text::new(text, offset, style)))?;
    }
    Ok(())
}

/// Which months get a label when only every `need`-th fits: every month, else the
/// months of a calendar step (2, 3, 4, 6 or 12 months: Jan, Apr, Jul, Oct for 3), so
/// each January is labelled; the last month always is, and an aligned label too close
/// before it gives way.
pub(super) fn labelled(months: &Months<'_>, need: usize) -> Vec<bool> {
    let every = [1, 2, 3, 4, 6, 12].into_iter().find(|&e| e >= need).unwrap_or(need.div_ceil(12) * 12);
    let mut show: Vec<bool> =
        months.slots.iter().map(|(index, _)| (index.rem_euclid(12) as usize).is_multiple_of(every)).collect();
    if let Some(last) = show.len().checked_sub(1) {
        if !show[last] {
            for s in &mut show[last.saturating_sub(every - 1)..last] {
                *s = false;
            }
            show[last] = true;
        }
    }
    show
}

/// Month names under the x axis, with the n behind each month's point(s) under them in
/// muted text; labels are skipped (keeping the last month) when they would collide.
fn month_labels<DB: DrawingBackend>(chart: &Chart<'_, DB>, t: &Theme, panel: Panel, months: &Months<'_>) -> Drawn<DB> {
    let area = chart.plotting_area();
    let main = anchored(t.text(t.tiny_size(), &INK), HPos::Center, VPos::Top);
    let sub = anchored(t.text(t.tiny_size(), &MUTED), HPos::Center, VPos::Top);
    let years = months.years();
    let n_of = |entry: &Option<&MonthTrend>| entry.map(|e| count(panel.n(e))).unwrap_or_else(|| "–".to_owned());
    let (x0, x1) = (chart.backend_coord(&(1.0, 0.0)).0, chart.backend_coord(&(2.0, 0.0)).0);
    let slot = (x1 - x0).max(1) as u32;
    let mut widest = 0;
    for (i, (index, entry)) in months.slots.iter().enumerate() {
        widest = widest
            .max(area.estimate_text_size(&short_name(*index, i == 0, years), &main)?.0)
            .max(area.estimate_text_size(&n_of(entry), &sub)?.0);
    }
    let shown = labelled(months, ((widest + t.upx(5.0)) / slot + 1) as usize);
    let first = shown.iter().position(|&s| s);
    for (i, ((index, entry), show)) in months.slots.iter().zip(shown).enumerate() {
        if !show {
            continue;
        }
        let x = i as f64 + 1.0;
        area.draw(
            &(EmptyElement::at((x, 0.0))
                + Text::new(short_name(*index, Some(i) == first, years), (0, t.px(5.0)), main.clone())),
        )?;
        area.draw(&(EmptyElement::at((x, 0.0)) + Text::new(n_of(entry), (0, t.px(21.0)), sub.clone())))?;
    }
    let prefix = anchored(t.text(t.tiny_size(), &MUTED), HPos::Right, VPos::Top);
    area.draw(&(EmptyElement::at((0.5, 0.0)) + Text::new(panel.n_label().to_owned(), (-t.px(6.0), t.px(21.0)), prefix)))
}
