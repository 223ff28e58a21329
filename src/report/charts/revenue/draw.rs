//! How chart 4, `revenue_recovered`, is drawn (module docs of [`super`]): one bar of
//! 100% per currency, its two segments and their shares, the code on the left and the
//! amounts on the right.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{amount_lines, early_label, recovered_label, share};
use crate::fmt::{count, percent};
use crate::metrics::{CurrencyAmount, Metrics};
use crate::report::charts::theme::{self, anchored, Chart, Drawn, Swatch, Theme, BLUE, GREY, GRID, INK, MUTED, SKY};

/// Width of the amounts column right of the bars, in pixels at the base size.
const RIGHT_COL: f64 = 250.0;

pub(in crate::report::charts) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    m: &Metrics,
) -> Drawn<DB> {
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
    // In a narrow panel the amounts go over each bar instead of in a column on its right.
    let narrow = t.narrow();
    let step = if narrow { 0.25 } else { theme::percent_axis(1.0).1 };
    let mut chart = ChartBuilder::on(&body)
        .margin_top(t.px(4.0))
        .margin_right(t.px(if narrow { 18.0 } else { RIGHT_COL }))
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
    let half = if narrow { 0.16 } else { 0.3f64.min(t.px(32.0) as f64 / row_px) };
    let line = t.px(18.0);
    let two_lines = row_px >= (2 * line + t.px(8.0)) as f64;
    for (i, c) in r.by_currency.iter().enumerate() {
        // First currency on top.
        let y = (n - i) as f64;
        if narrow {
            currency_labels_over(&mut chart, t, c, y, half)?;
        } else {
            currency_labels(&mut chart, t, c, y, two_lines)?;
        }
        currency_bar(&mut chart, t, c, y, half)?;
    }
    Ok(())
}

/// The currency code left of its bar, centred on `y`.
fn currency_code<DB: DrawingBackend>(chart: &mut Chart<'_, DB>, t: &Theme, c: &CurrencyAmount, y: f64) -> Drawn<DB> {
    let code = anchored(t.bold(t.body_size(), &INK), HPos::Right, VPos::Center);
    chart.draw_series(std::iter::once(
        EmptyElement::at((0.0, y)) + Text::new(c.currency.clone(), (-t.px(10.0), 0), code),
    ))?;
    Ok(())
}

/// The currency code left of its bar, its amounts right of it (on two lines when the
/// row is tall enough).
fn currency_labels<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Theme,
    c: &CurrencyAmount,
    y: f64,
    two_lines: bool,
) -> Drawn<DB> {
    currency_code(chart, t, c, y)?;
    let at = |x: f64| EmptyElement::at((x, y));

    let col_w = t.upx(RIGHT_COL - 14.0);
    let (recovered, of_won) = amount_lines(c);
    let area = chart.plotting_area().strip_coord_spec();
    if two_lines {
        let head =
            theme::fit(&area, &recovered, anchored(t.bold(t.small_size(), &BLUE), HPos::Left, VPos::Bottom), col_w)?;
        let note = theme::fit(&area, &of_won, anchored(t.text(t.small_size(), &MUTED), HPos::Left, VPos::Top), col_w)?;
        chart.draw_series(std::iter::once(at(1.0) + Text::new(recovered, (t.px(12.0), -t.px(1.0)), head)))?;
        chart.draw_series(std::iter::once(at(1.0) + Text::new(of_won, (t.px(12.0), t.px(3.0)), note)))?;
    } else {
        let text = format!("{recovered} {of_won}");
        let style = theme::fit(&area, &text, anchored(t.text(t.small_size(), &INK), HPos::Left, VPos::Center), col_w)?;
        chart.draw_series(std::iter::once(at(1.0) + Text::new(text, (t.px(12.0), 0), style)))?;
    }
    Ok(())
}

/// In a narrow panel: the currency code left of its bar (centred on `y`, `half` thick
/// each way), its amounts on two lines over it.
fn currency_labels_over<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Theme,
    c: &CurrencyAmount,
    y: f64,
    half: f64,
) -> Drawn<DB> {
    currency_code(chart, t, c, y)?;
    let y = y + half;
    let (recovered, of_won) = amount_lines(c);
    let area = chart.plotting_area().strip_coord_spec();
    let (w, _) = area.dim_in_pixel();
    let head = theme::fit(&area, &recovered, anchored(t.bold(t.small_size(), &BLUE), HPos::Left, VPos::Bottom), w)?;
    let note = theme::fit(&area, &of_won, anchored(t.text(t.small_size(), &MUTED), HPos::Left, VPos::Bottom), w)?;
    let at = || EmptyElement::at((0.0, y));
    chart.draw_series(std::iter::once(at() + Text::new(recovered, (0, -t.px(22.0)), head)))?;
    chart.draw_series(std::iter::once(at() + Text::new(of_won, (0, -t.px(4.0)), note)))?;
    Ok(())
}

/// The bar of one currency: early and recovered segments with their shares inside when
/// they fit, or a hollow bar when the currency has no won revenue to split.
fn currency_bar<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Theme,
    c: &CurrencyAmount,
    y: f64,
    half: f64,
) -> Drawn<DB> {
    let at = |x: f64| EmptyElement::at((x, y));
    let Some(s) = share(c) else {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y - half), (1.0, y + half)],
            GREY.stroke_width(t.thin()),
        )))?;
        chart.draw_series(std::iter::once(
            at(0.5)
                + Text::new(
                    "no won revenue to split".to_owned(),
                    (0, 0),
                    anchored(t.text(t.small_size(), &MUTED), HPos::Center, VPos::Center),
                ),
        ))?;
        return Ok(());
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
    Ok(())
}
