//! How chart 1, `response_by_touch`, is drawn (module docs of [`super`]): the legend,
//! the Kaplan–Meier band, the bars with their whiskers, the two cumulative lines and
//! their end labels, the touch numbers and their n.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{has_data, readable, SMALL_N};
use crate::fmt::{count, percent};
use crate::metrics::{Metrics, TouchRate};
use crate::report::charts::theme::{
    self, anchored, Axes, Chart, Drawn, Swatch, Theme, BLUE, GREY, INK, MUTED, SKY, VERMILLION,
};

pub(in crate::report::charts) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    m: &Metrics,
) -> Drawn<DB> {
    if !has_data(m) {
        return theme::no_data(
            area,
            t,
            "No deal received a touch in this period, so there is no response rate to show.",
        );
    }
    let rows = &m.response_by_touch;
    let body = theme::legend(area, t, &legend(rows))?;

    let y_max = rows
        .iter()
        .flat_map(|r| {
            let whisker = if readable(r) { r.ci_high } else { None };
            [r.rate, whisker, r.cumulative_km, r.km_high, r.cumulative]
        })
        .flatten()
        .fold(0.0, f64::max);
    let (mut chart, top) = theme::percent_chart(
        &body,
        t,
        rows.len(),
        y_max * 1.05,
        Axes {
            y_desc: "Share of deals",
            x_desc: if t.narrow() {
                "Touch (n = deals sent it, not yet answered)"
            } else {
                "Touch number (n = deals that received it without having responded)"
            },
            label_rows: 2,
            right: 62.0,
        },
    )?;
    km_band(&mut chart, rows, top)?;

    // Bars and whiskers: 56% of a column, at most 90 px wide at the base size.
    let column_px = (chart.backend_coord(&(2.0, 0.0)).0 - chart.backend_coord(&(1.0, 0.0)).0).max(1) as f64;
    let half = 0.28f64.min(t.px(45.0) as f64 / column_px);
    for r in rows {
        if let Some(rate) = r.rate {
            theme::rate_bar(&mut chart, t, x(r), half, rate, r.ci_low.zip(r.ci_high), readable(r), top)?;
        }
    }
    cumulative_lines(&mut chart, t, rows, top)?;
    end_labels(&mut chart, t, rows, top)?;

    let labels: Vec<(f64, String, Option<String>)> =
        rows.iter().map(|r| (x(r), r.touch.to_string(), Some(count(r.sent)))).collect();
    theme::category_labels(&chart, t, &labels)?;
    let n_style = anchored(t.text(t.tiny_size(), &MUTED), HPos::Right, VPos::Top);
    chart
        .plotting_area()
        .draw(&(EmptyElement::at((0.4, 0.0)) + Text::new("n =".to_owned(), (-t.px(8.0), t.px(24.0)), n_style)))?;
    Ok(())
}

/// The legend: only what the chart shows.
fn legend(rows: &[TouchRate]) -> Vec<(Swatch, String)> {
    let mut items = vec![];
    if rows.iter().any(readable) {
        items.push((Swatch::Bar(SKY), "Response rate at the touch".to_owned()));
    }
    if rows.iter().any(|r| r.ci_low.is_some()) {
        items.push((Swatch::Whisker(INK), "95% interval".to_owned()));
    }
    if rows.iter().any(|r| r.km_low.is_some()) {
        items.push((
            Swatch::Band(VERMILLION),
            "Responded by the touch if followed up (Kaplan–Meier, 95% band)".to_owned(),
        ));
    } else if rows.iter().any(|r| r.cumulative_km.is_some()) {
        items.push((Swatch::Line(VERMILLION), "Responded by the touch if followed up (Kaplan–Meier)".to_owned()));
    }
    if rows.iter().any(|r| r.cumulative.is_some()) {
        items.push((Swatch::Dashed(BLUE), "Responded by the touch, of all sent touch 1".to_owned()));
    }
    if rows.iter().any(|r| r.sent > 0 && !readable(r)) {
        items.push((Swatch::Hollow(GREY), format!("Fewer than {SMALL_N} deals: too few to read")));
    }
    items
}

/// The x of a touch's column.
fn x(r: &TouchRate) -> f64 {
    r.touch as f64
}

/// The Kaplan–Meier band, behind everything; one polygon per run of touches with a band.
fn km_band<DB: DrawingBackend>(chart: &mut Chart<'_, DB>, rows: &[TouchRate], top: f64) -> Drawn<DB> {
    let clamp = |v: f64| v.clamp(0.0, top);
    for run in runs(rows, |r| r.km_low.zip(r.km_high)) {
        let mut pts: Vec<(f64, f64)> = run.iter().map(|(r, (_, hi))| (x(r), clamp(*hi))).collect();
        pts.extend(run.iter().rev().map(|(r, (lo, _))| (x(r), clamp(*lo))));
        if let [(x, hi), (_, lo)] = pts[..] {
            // A band over a single touch: a narrow strip.
            pts = vec![(x - 0.06, hi), (x + 0.06, hi), (x + 0.06, lo), (x - 0.06, lo)];
        }
        chart.draw_series(std::iter::once(Polygon::new(pts, VERMILLION.mix(0.16).filled())))?;
    }
    Ok(())
}

/// Plain cumulative (dashed, squares) and Kaplan–Meier (solid, circles), over the bars.
fn cumulative_lines<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Theme,
    rows: &[TouchRate],
    top: f64,
) -> Drawn<DB> {
    let clamp = |v: f64| v.clamp(0.0, top);
    for run in runs(rows, |r| r.cumulative) {
        let pts: Vec<(f64, f64)> = run.iter().map(|(r, v)| (x(r), clamp(*v))).collect();
        chart.draw_series(std::iter::once(DashedPathElement::new(
            pts.clone(),
            t.upx(7.0),
            t.upx(5.0),
            BLUE.stroke_width(t.thin().max(2)),
        )))?;
        let s = t.px(3.5);
        chart.draw_series(
            pts.iter().map(|&p| EmptyElement::at(p) + Rectangle::new([(-s, -s), (s, s)], BLUE.filled())),
        )?;
    }
    for run in runs(rows, |r| r.cumulative_km) {
        let pts: Vec<(f64, f64)> = run.iter().map(|(r, v)| (x(r), clamp(*v))).collect();
        chart.draw_series(std::iter::once(PathElement::new(pts.clone(), VERMILLION.stroke_width(t.line()))))?;
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, t.upx(4.5), VERMILLION.filled())))?;
    }
    Ok(())
}

/// End labels for both lines, pushed apart when they would touch.
fn end_labels<DB: DrawingBackend>(chart: &mut Chart<'_, DB>, t: &Theme, rows: &[TouchRate], top: f64) -> Drawn<DB> {
    let clamp = |v: f64| v.clamp(0.0, top);
    let label = anchored(t.bold(t.small_size(), &VERMILLION), HPos::Left, VPos::Center);
    let km_end = rows.iter().rev().find_map(|r| r.cumulative_km.map(|v| (x(r), v)));
    let cum_end = rows.iter().rev().find_map(|r| r.cumulative.map(|v| (x(r), v)));
    let km_px = km_end.map(|(x, v)| chart.backend_coord(&(x, clamp(v))).1);
    let cum_px = cum_end.map(|(x, v)| chart.backend_coord(&(x, clamp(v))).1);
    let (mut dy_km, mut dy_cum) = (0, 0);
    if let (Some(a), Some(b)) = (km_px, cum_px) {
        let gap = t.px(18.0) - (a - b).abs();
        if gap > 0 {
            let (up, down) = (-(gap + 1) / 2, gap / 2 + 1);
            if a <= b {
                (dy_km, dy_cum) = (up, down);
            } else {
                (dy_km, dy_cum) = (down, up);
            }
        }
    }
    if let Some((x, v)) = km_end {
        chart.draw_series(std::iter::once(
            EmptyElement::at((x, clamp(v))) + Text::new(percent(Some(v)), (t.px(10.0), dy_km), label.clone()),
        ))?;
    }
    if let Some((x, v)) = cum_end {
        let style = anchored(t.bold(t.small_size(), &BLUE), HPos::Left, VPos::Center);
        chart.draw_series(std::iter::once(
            EmptyElement::at((x, clamp(v))) + Text::new(percent(Some(v)), (t.px(10.0), dy_cum), style),
        ))?;
    }
    Ok(())
}

/// Consecutive rows (by touch) where `f` has a value: lines and bands break at nulls.
fn runs<T: Copy>(rows: &[TouchRate], f: impl Fn(&TouchRate) -> Option<T>) -> Vec<Vec<(&TouchRate, T)>> {
    let mut out: Vec<Vec<(&TouchRate, T)>> = vec![];
    let mut cur = vec![];
    for r in rows {
        match f(r) {
            Some(v) => cur.push((r, v)),
            None if !cur.is_empty() => out.push(std::mem::take(&mut cur)),
            None => {}
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
