//! How chart 2, `touches_to_close`, is drawn (module docs of [`super`]): the two
//! histograms side by side, the 5-touch marker and the column labels.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{mark_label, tracked, CAP, MARK};
use crate::fmt::count;
use crate::metrics::{Bin, Metrics};
use crate::report::charts::theme::{self, anchored, Axes, Drawn, Swatch, Theme, BLUE, INK, MUTED, ORANGE};

/// Column index (1-based, capped) for a touch count.
fn column(n: u32) -> u32 {
    n.clamp(1, CAP)
}

/// Share of the group's deals per column 1..=columns.
fn shares(h: &[Bin], columns: u32) -> Vec<Option<f64>> {
    let total = tracked(h);
    let mut deals = vec![0usize; columns as usize];
    for b in h {
        deals[column(b.touches) as usize - 1] += b.deals;
    }
    deals.into_iter().map(|d| (total > 0).then(|| d as f64 / total as f64)).collect()
}

pub(in crate::report::charts) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    m: &Metrics,
) -> Drawn<DB> {
    let won_h = &m.touches_to_close.stats.histogram;
    let lost_h = &m.touches_before_loss.stats.histogram;
    if won_h.is_empty() && lost_h.is_empty() {
        return theme::no_data(area, t, "No won or lost deal has touch data in this period.");
    }
    let max_n = won_h.iter().chain(lost_h).map(|b| b.touches).max().unwrap_or(1);
    let columns = column(max_n).max(MARK + 1);
    let won = shares(won_h, columns);
    let lost = shares(lost_h, columns);

    let body = theme::legend(
        area,
        t,
        &[
            (Swatch::Bar(BLUE), format!("Won deals (n = {})", count(tracked(won_h) as u64))),
            (Swatch::Bar(ORANGE), format!("Lost deals (n = {})", count(tracked(lost_h) as u64))),
        ],
    )?;
    let y_max = won.iter().chain(&lost).flatten().fold(0.0, |a: f64, b| a.max(*b));
    let (mut chart, top) = theme::percent_chart(
        &body,
        t,
        columns as usize,
        y_max * 1.08,
        Axes {
            y_desc: "Share of the group's deals",
            x_desc: if t.narrow() {
                "Touches before won or lost"
            } else {
                "Outbound touches before the deal was won or lost"
            },
            label_rows: 1,
            right: 10.0,
        },
    )?;

    let w = 0.36;
    for (i, (a, b)) in won.iter().zip(&lost).enumerate() {
        let x = i as f64 + 1.0;
        if let Some(a) = a.filter(|v| *v > 0.0) {
            chart.draw_series(std::iter::once(Rectangle::new([(x - w, 0.0), (x, a.min(top))], BLUE.filled())))?;
        }
        if let Some(b) = b.filter(|v| *v > 0.0) {
            chart.draw_series(std::iter::once(Rectangle::new([(x, 0.0), (x + w, b.min(top))], ORANGE.filled())))?;
        }
    }

    // The 5-touch marker: a dashed rule between 4 and 5, labelled on its right.
    let xm = MARK as f64 - 0.5;
    chart.draw_series(std::iter::once(DashedPathElement::new(
        vec![(xm, 0.0), (xm, top)],
        t.upx(6.0),
        t.upx(4.0),
        INK.stroke_width(t.thin()),
    )))?;
    let head = anchored(t.bold(t.small_size(), &INK), HPos::Left, VPos::Top);
    let note = anchored(t.text(t.tiny_size(), &MUTED), HPos::Left, VPos::Top);
    let won_5 = mark_label(m);
    // Right of the rule; in a narrow panel on short lines, so they stay inside the plot.
    let lines: Vec<(String, &TextStyle<'static>)> = if t.narrow() {
        let (a, b) = won_5.split_once(": ").map_or((won_5.as_str(), ""), |(a, b)| (a, b));
        [(a, &head), (b, &head), ("widely quoted: 80% of", &note), ("sales need 5+ contacts", &note)]
            .into_iter()
            .chain([("(primary source", &note), ("not found)", &note)])
            .filter(|(s, _)| !s.is_empty())
            .map(|(s, st)| (s.to_owned(), st))
            .collect()
    } else {
        vec![
            (won_5.clone(), &head),
            ("widely quoted: 80% of sales need 5+ contacts".to_owned(), &note),
            ("(primary source not found)".to_owned(), &note),
        ]
    };
    let mut y = t.px(2.0);
    for (i, (text, style)) in lines.into_iter().enumerate() {
        // 20 px under the first line, 17 under the others (the whole chart's spacing).
        y += match i {
            0 => 0,
            1 => t.px(20.0),
            _ => t.px(17.0),
        };
        chart.draw_series(std::iter::once(
            EmptyElement::at((xm, top)) + Text::new(text, (t.px(8.0), y), style.clone()),
        ))?;
    }

    let labels: Vec<(f64, String, Option<String>)> = (1..=columns)
        .map(|c| {
            let text = if c == CAP && max_n > CAP { format!("{CAP}+") } else { c.to_string() };
            (c as f64, text, None)
        })
        .collect();
    theme::category_labels(&chart, t, &labels)
}
