//! How chart 3, `give_up`, is drawn (module docs of [`super`]): the legend, the
//! dropped-deals panel beside the quoted figures, and the next-touch panel.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{has_data, next_touch, quoted, rate_at, shown, whole_percent, SMALL_N};
use crate::fmt::{count, percent};
use crate::metrics::{Bucket, Metrics, TouchRate};
use crate::report::charts::theme::{self, Axes, Drawn, Swatch, Theme, BLUE, GREY, INK, MUTED, PALE, SKY};

pub(in crate::report::charts) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    m: &Metrics,
) -> Drawn<DB> {
    if !has_data(m) {
        return theme::no_data(area, t, "No deal was lost or left without a response in this period.");
    }
    let buckets = &m.give_up.buckets;
    let items = legend_items();
    let body = theme::legend(area, t, &items)?;
    let (w, _) = body.dim_in_pixel();
    let (left, right) = body.split_horizontally((w as f64 * 0.56) as u32);
    let right = right.margin(0, 0, t.upx(18.0), 0);
    dropped(&left, t, buckets)?;
    next_touches(&right, t, m, buckets)
}

fn legend_items() -> [(Swatch, String); 3] {
    [
        (Swatch::Bar(BLUE), "Our dropped deals".to_owned()),
        (Swatch::Backdrop, "Widely quoted, primary source not found".to_owned()),
        (Swatch::Bar(SKY), "Response rate of the next touch (95% interval)".to_owned()),
    ]
}

/// The panels of the chart drawn one by one for a narrow column, with their heights at
/// the base design's sizes: where deals were dropped (beside the quoted figures), then
/// what the next touch still got, each under its own part of the legend.
pub(in crate::report::charts) fn panels(m: &Metrics) -> Vec<(String, f64)> {
    if !has_data(m) {
        return vec![(super::title(m), 200.0)];
    }
    vec![("Where deals were dropped".to_owned(), 340.0), ("What the next touch still got".to_owned(), 300.0)]
}

/// Panel `index` of [`panels`] in `area`.
pub(in crate::report::charts) fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    m: &Metrics,
    index: usize,
) -> Drawn<DB> {
    if !has_data(m) {
        return draw(area, t, m);
    }
    let [ours, quoted, next] = legend_items();
    if index == 0 {
        dropped(&theme::legend(area, t, &[ours, quoted])?, t, &m.give_up.buckets)
    } else {
        next_touches(&theme::legend(area, t, &[next])?, t, m, &m.give_up.buckets)
    }
}

/// Left: where deals were dropped, the team's share beside the quoted one.
fn dropped<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, buckets: &[Bucket]) -> Drawn<DB> {
    let left = theme::panel_title(area, t, "Where deals were dropped")?;
    let y_max = buckets.iter().flat_map(|b| [b.share, quoted(&b.bucket)]).flatten().fold(0.0, f64::max);
    let (mut chart, top) = theme::percent_chart(
        &left,
        t,
        buckets.len(),
        y_max * 1.12,
        Axes {
            y_desc: "Share of dropped deals",
            x_desc: "Last touch before the deal was dropped",
            label_rows: 2,
            right: 0.0,
        },
    )?;
    let w = 0.34;
    for (i, b) in buckets.iter().enumerate() {
        let x = i as f64 + 1.0;
        if let Some(s) = b.share {
            chart.draw_series(std::iter::once(Rectangle::new([(x - w, 0.0), (x, s.min(top))], BLUE.filled())))?;
            theme::value_label(&mut chart, t, (x - w / 2.0, s.min(top)), whole_percent(s), &BLUE)?;
        }
        if let Some(q) = quoted(&b.bucket) {
            chart.draw_series(std::iter::once(Rectangle::new([(x, 0.0), (x + w, q.min(top))], PALE.filled())))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x, 0.0), (x + w, q.min(top))],
                GREY.stroke_width(t.thin()),
            )))?;
            theme::value_label(&mut chart, t, (x + w / 2.0, q.min(top)), whole_percent(q), &MUTED)?;
        }
    }
    let labels: Vec<(f64, String, Option<String>)> = buckets
        .iter()
        .enumerate()
        .map(|(i, b)| {
            (i as f64 + 1.0, format!("after {}", shown(&b.bucket)), Some(format!("{} deals", count(b.deals as u64))))
        })
        .collect();
    theme::category_labels(&chart, t, &labels)
}

/// Right: the response the next touch still got.
fn next_touches<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    m: &Metrics,
    buckets: &[Bucket],
) -> Drawn<DB> {
    let right = theme::panel_title(area, t, "What the next touch still got")?;
    let next: Vec<Option<&TouchRate>> =
        buckets.iter().map(|b| next_touch(&b.bucket).and_then(|k| rate_at(m, k))).collect();
    let y_max = next
        .iter()
        .flatten()
        .flat_map(|r| [r.rate, if r.sent >= SMALL_N { r.ci_high } else { None }])
        .flatten()
        .fold(0.0, f64::max);
    let (mut chart, top) = theme::percent_chart(
        &right,
        t,
        buckets.len(),
        y_max * 1.12,
        Axes {
            y_desc: "Response rate",
            x_desc: if t.narrow() {
                "Next touch (n = deals sent it)"
            } else {
                "The touch after the last one (n = deals sent it)"
            },
            label_rows: 2,
            right: 0.0,
        },
    )?;
    for (i, r) in next.iter().enumerate() {
        let Some(r) = r else { continue };
        let Some(rate) = r.rate else { continue };
        let x = i as f64 + 1.0;
        let ok = r.sent >= SMALL_N;
        theme::rate_bar(&mut chart, t, x, 0.26, rate, r.ci_low.zip(r.ci_high), ok, top)?;
        // Values too uncertain to read get no number (the grey bar and n say so).
        if ok {
            theme::value_label(&mut chart, t, (x, r.ci_high.unwrap_or(rate).min(top)), percent(Some(rate)), &INK)?;
        }
    }
    let labels: Vec<(f64, String, Option<String>)> = buckets
        .iter()
        .zip(&next)
        .enumerate()
        .map(|(i, (b, r))| {
            let x = i as f64 + 1.0;
            match (next_touch(&b.bucket), r) {
                (Some(k), Some(r)) => (x, format!("touch {k}"), Some(format!("n = {}", count(r.sent)))),
                (Some(k), None) => (x, format!("touch {k}"), Some("not sent".to_owned())),
                (None, _) => (x, "–".to_owned(), None),
            }
        })
        .collect();
    theme::category_labels(&chart, t, &labels)
}
