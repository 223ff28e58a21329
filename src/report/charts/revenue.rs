//! Chart 4, `revenue_recovered` (SPEC §3 rule 7): for each currency, one bar of 100%
//! of its won revenue, split into what closed early (`won_amount − amount`, deals with
//! at most F touches after the first… i.e. fewer than F follow-ups) and what was
//! recovered by later follow-ups (`amount`, deals with 1 + F touches or more). Each
//! currency is its own bar with its own amounts printed on it: amounts in different
//! currencies are never added up or drawn on one money scale.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::theme::{self, anchored, ordinal, Drawn, Swatch, Theme, BLUE, GREY, GRID, INK, MUTED, SKY};
use crate::fmt::{count, money, percent};
use crate::metrics::{CurrencyAmount, Metrics};

/// How the recovered part is named, from F (`recovered_after`).
fn needed(f: u32) -> String {
    match f {
        0 | 1 => "needed a follow-up".to_owned(),
        f => format!("needed {f}+ follow-ups"),
    }
}

fn early_label(f: u32) -> String {
    match f {
        0 | 1 => "Closed on the first touch".to_owned(),
        f => format!("Closed within the {} follow-up (1–{f} touches)", ordinal(f - 1)),
    }
}

fn recovered_label(f: u32) -> String {
    format!("Recovered by later follow-ups ({}+ touches)", f.saturating_add(1))
}

fn share(c: &CurrencyAmount) -> Option<f64> {
    c.share_of_won.map(|s| s.clamp(0.0, 1.0))
}

pub(super) fn title(m: &Metrics) -> String {
    let r = &m.revenue_recovered;
    let with: Vec<(&str, f64)> = r.by_currency.iter().filter_map(|c| share(c).map(|s| (c.currency.as_str(), s))).collect();
    let what = needed(r.recovered_after);
    match with.as_slice() {
        [] => "Revenue recovered by follow-ups: no won revenue with an amount".to_owned(),
        [(cur, s)] => format!("{} of {cur} won revenue {what}", percent(Some(*s))),
        many => {
            let lo = many.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
            let hi = many.iter().map(|c| c.1).fold(f64::NEG_INFINITY, f64::max);
            if percent(Some(lo)) == percent(Some(hi)) {
                format!("{} of won revenue {what}, in each currency", percent(Some(lo)))
            } else {
                format!("{} to {} of won revenue {what}, by currency", percent(Some(lo)), percent(Some(hi)))
            }
        }
    }
}

pub(super) fn subtitle(m: &Metrics) -> String {
    let r = &m.revenue_recovered;
    if r.by_currency.is_empty() && r.deals == 0 {
        return String::new();
    }
    let mut s = format!("n = {} recovered won deals", count(r.deals as u64));
    if r.no_amount > 0 {
        s += &format!(" ({} without an amount)", count(r.no_amount as u64));
    }
    if r.by_currency.len() > 1 {
        s += "; each currency is shown on its own, never added up";
    }
    s
}

pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, m: &Metrics) -> Drawn<DB> {
    let r = &m.revenue_recovered;
    if r.by_currency.is_empty() {
        let msg = if r.deals > 0 {
            format!("{} recovered won deals, but none has an amount.", count(r.deals as u64))
        } else {
            "No won deal with an amount in this period.".to_owned()
        };
        return theme::no_data(area, t, &msg);
    }
    let f = r.recovered_after;
    let body = theme::legend(area, t, &[(Swatch::Bar(SKY), early_label(f)), (Swatch::Bar(BLUE), recovered_label(f))])?;

    let n = r.by_currency.len();
    let (_, step) = theme::percent_axis(1.0);
    let right_col = 250.0;
    let mut chart = ChartBuilder::on(&body)
        .margin_top(t.px(4.0))
        .margin_right(t.px(right_col))
        .x_label_area_size(t.px(48.0))
        .y_label_area_size(t.px(64.0))
        .build_cartesian_2d(0.0..1.0, 0.4..n as f64 + 0.6)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels((1.0 / step).round() as usize + 1)
        .x_label_formatter(&|v| theme::percent_tick(*v, step))
        .x_label_style(t.text(t.small_size(), &INK))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(t.upx(1.0)))
        .axis_style(GREY.stroke_width(t.upx(1.0)))
        .set_tick_mark_size(LabelAreaPosition::Bottom, t.px(4.0))
        .set_tick_mark_size(LabelAreaPosition::Left, 0)
        .x_desc("Share of the currency's won revenue")
        .axis_desc_style(t.text(t.small_size(), &MUTED))
        .draw()?;

    // Bar thickness: 60% of a row, but at most 64 px at the base size.
    let row_px = (chart.backend_coord(&(0.0, 1.0)).1 - chart.backend_coord(&(0.0, 2.0)).1).abs().max(1) as f64;
    let half = 0.3f64.min(t.px(32.0) as f64 / row_px);
    let line = t.px(18.0);
    let two_lines = row_px >= (2 * line + t.px(8.0)) as f64;
    let col_w = t.upx(right_col - 14.0);

    for (i, c) in r.by_currency.iter().enumerate() {
        // First currency on top; the code on the left, the amounts on the right.
        let y = (n - i) as f64;
        let at = |x: f64| EmptyElement::at((x, y));
        let code = anchored(t.bold(t.body_size(), &INK), HPos::Right, VPos::Center);
        chart.draw_series(std::iter::once(at(0.0) + Text::new(c.currency.clone(), (-t.px(10.0), 0), code)))?;

        let recovered = format!("{} recovered", money(c.amount, &c.currency));
        let of_won = format!("of {} won", money(c.won_amount, &c.currency));
        let area = chart.plotting_area().strip_coord_spec();
        if two_lines {
            let head = theme::fit(&area, &recovered, anchored(t.bold(t.small_size(), &BLUE), HPos::Left, VPos::Bottom), col_w)?;
            let note = theme::fit(&area, &of_won, anchored(t.text(t.small_size(), &MUTED), HPos::Left, VPos::Top), col_w)?;
            chart.draw_series(std::iter::once(at(1.0) + Text::new(recovered, (t.px(12.0), -t.px(1.0)), head)))?;
            chart.draw_series(std::iter::once(at(1.0) + Text::new(of_won, (t.px(12.0), t.px(3.0)), note)))?;
        } else {
            let text = format!("{recovered} {of_won}");
            let style = theme::fit(&area, &text, anchored(t.text(t.small_size(), &INK), HPos::Left, VPos::Center), col_w)?;
            chart.draw_series(std::iter::once(at(1.0) + Text::new(text, (t.px(12.0), 0), style)))?;
        }

        let Some(s) = share(c) else {
            chart.draw_series(std::iter::once(Rectangle::new([(0.0, y - half), (1.0, y + half)], GREY.stroke_width(t.thin()))))?;
            chart.draw_series(std::iter::once(at(0.5) + Text::new("no won revenue to split".to_owned(), (0, 0), anchored(t.text(t.small_size(), &MUTED), HPos::Center, VPos::Center))))?;
            continue;
        };
        let early = 1.0 - s;
        for (x0, x1, fill, ink, part) in [(0.0, early, SKY, INK, early), (early, 1.0, BLUE, WHITE, s)] {
            if x1 - x0 <= 0.0 {
                continue;
            }
            chart.draw_series(std::iter::once(Rectangle::new([(x0, y - half), (x1, y + half)], fill.filled())))?;
            // The share inside its segment, when it fits.
            let text = percent(Some(part));
            let style = anchored(t.bold(t.small_size(), &ink), HPos::Center, VPos::Center);
            let (tw, _) = chart.plotting_area().estimate_text_size(&text, &style)?;
            let seg_px = (chart.backend_coord(&(x1, y)).0 - chart.backend_coord(&(x0, y)).0).max(0) as u32;
            if tw + t.upx(10.0) <= seg_px {
                chart.draw_series(std::iter::once(at((x0 + x1) / 2.0) + Text::new(text, (0, 0), style)))?;
            }
        }
    }
    Ok(())
}
